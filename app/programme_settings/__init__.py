"""Programme settings from a date: the administrator's pages and the command line."""
