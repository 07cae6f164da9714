"""Use cases, called alike by the API, the CLI and the pages."""
