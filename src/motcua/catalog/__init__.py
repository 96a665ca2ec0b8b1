"""Procedure catalogue: procedures, versions, components, fees, offerings, workflows."""
