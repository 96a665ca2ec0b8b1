"""Shared kernel: Vietnamese text folding, codes, health check and small shared helpers."""
