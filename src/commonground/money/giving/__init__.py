"""360Giving grants: JSON packages, flat CSV and XLSX, validated against the 1.4.3 schema.

Spreadsheets are turned into grants the way the standard's own tools do (column titles from the
schema: "Recipient Org:Charity Number" -> recipientOrganization[0].charityNumber; numbered items
of a list: "Beneficiary Location:1:Geographic Code" -> the second beneficiary location; titles
the schema does not know are kept, split on ":" into nested objects; in a workbook, further
items of a list may be on sheets of their own, see sheets.py). Every grant is then
validated against the official schema with jsonschema_rs. Each problem is reported by grant,
field and, for spreadsheets, sheet, row and column, in words a publisher can act on.

Problems in the fields the ledger uses (identifier, amount, date, currency, the organisations)
reject the grant; other problems are reported as warnings and the grant is loaded. Fields
beyond the standard are kept in the raw record.

schema.py maps column titles to the schema, validation.py reports problems, readers.py reads
the three formats (sheets.py the extra sheets of a workbook), importer.py loads the grants.
"""
