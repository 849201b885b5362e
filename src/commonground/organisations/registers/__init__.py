"""One importer a register. Each declares its source and turns one row into an OrganisationRecord."""
