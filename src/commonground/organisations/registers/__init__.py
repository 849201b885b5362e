"""One importer a register: each declares its source and turns a row into an OrganisationRecord."""
