"""The dossier aggregate (hồ sơ): lifecycle, actions, step instances, pauses and events."""
