"""Organisation: administrative divisions, agencies, units, counters and staff roles."""
