"""Importers for geography: local authority districts, GB-LAE codes, boundaries, postcodes."""
