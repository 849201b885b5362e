"""The catalogue of official data sources: who publishes each, where, under what licence.

Importers name a dataset code from here; `manage.py fetch_sources` downloads the files, or
finds them in the mirror folder (COMMONGROUND_DATA_MIRROR) laid out like ../shared/data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commonground.core.archives import MB, UPLOAD_LIMITS, ArchiveLimits

OGL3 = "Open Government Licence v3.0"
OGL3_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL3_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
ONS_ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right. "
    "Contains OS data © Crown copyright and database right."
)
ODBL = "Open Data Commons Open Database License (ODbL) 1.0"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"


@dataclass(frozen=True)
class SourceFile:
    key: str  # the file's name within its dataset, e.g. "charity"
    url: str  # the publisher's download address
    mirror_path: str  # the same file's path inside the mirror folder
    # Known only for files that never change (e.g. at a fixed commit); a download that does not
    # match is refused.
    sha256: str = ""
    size_bytes: int | None = None


@dataclass(frozen=True)
class Dataset:
    code: str
    name: str
    publisher: str
    homepage: str
    licence: str
    licence_url: str
    attribution: str
    format: str
    files: tuple[SourceFile, ...] = field(default_factory=tuple)
    notes: str = ""
    # What a zip file of this dataset may unpack to before the importer reads it
    # (core/archives.py); the national registers declare more than an upload's 100 MB.
    archive_limits: ArchiveLimits = UPLOAD_LIMITS

    def file(self, key: str) -> SourceFile:
        for source_file in self.files:
            if source_file.key == key:
                return source_file
        raise KeyError(f"dataset {self.code} has no file {key!r}")


_CCEW_BASE = "https://ccewuksprdoneregsadata1.blob.core.windows.net/data/txt/"
_CCEW_TABLES = (
    "charity",
    "charity_annual_return_history",
    "charity_annual_return_parta",
    "charity_annual_return_partb",
    "charity_area_of_operation",
    "charity_classification",
    "charity_event_history",
    "charity_governing_document",
    "charity_other_names",
    "charity_other_regulators",
    "charity_policy",
    "charity_published_report",
    "charity_trustee",
)
_TDL = "https://raw.githubusercontent.com/traffordDataLab/"
_HSDS_SCHEMA = (
    "https://raw.githubusercontent.com/openreferral/specification/279fd2e/schema/compiled/"
)
_LOOKUPS = "https://raw.githubusercontent.com/drkane/charity-lookups/master/"
_ORGID = "https://raw.githubusercontent.com/org-id/register/main/lists/gb/"
_GIVING_SCHEMA = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/"
_BLUETAIL = (
    "https://raw.githubusercontent.com/mysociety/bluetail/c36bb3c/"
    "bluetail/data/contracts_finder/ocds/json_1_1_raw/"
)
# The Contracts Finder release packages in the mirror, one file a notice (by OCID suffix).
_CONTRACTS_FINDER_NOTICES = (
    "0054a4e6-0715-42c6-9109-e219fe9d3289",
    "008e7376-6d53-4e59-892b-8abf09a0470e",
    "02d2b5b1-e148-4965-92bc-d72dd5f3f6f2",
    "06e2eeae-6a8c-4abe-9d31-864dfdfe00a3",
    "099688de-2418-4cae-beed-a02ebf00fe53",
    "09e6e811-41bd-4218-b9d3-15d8f6509291",
    "0b6ebb4f-5f08-43ff-852f-ba3620bd3116",
    "0f8a3b2e-bc22-48c6-bf2d-2e8c1f5e04a8",
    "1523ff0a-93de-4831-8551-7bb877f06103",
    "16089661-35c5-46ab-a633-db4241a717c7",
    "16c02c4d-99b2-461b-8e6e-e31e22ff7e3d",
    "18064b23-7b04-4530-8519-587a69fc2282",
    "1c07cba3-fd8e-4632-8242-8971026d738b",
    "1f59613d-9095-4a12-89ec-88d3372dda97",
    "20d1e3f9-4570-41c3-b74a-a67eb12823a3",
    "2151c2ad-a80a-4bdd-8346-c8917fe8578d",
    "24a41253-ebd4-4bd0-83a8-cfb05c4b8acd",
    "25507e93-36bb-417e-b874-2430d9e50566",
    "25566a57-c42c-46fb-a6b0-68dd456039bc",
    "265ddbb1-337e-4489-bf61-b645598b0a3b",
    "2a971fec-bc5d-40a7-b61f-7d338794056a",
    "2c04fd94-41c1-4679-aa1a-95d7e84acedb",
    "2df9b79a-b549-4795-88b6-64a819819f27",
    "2faa7af7-e972-46a0-bc38-c0a54c3fc805",
    "3227e9c8-1e7c-487f-ac15-416a1264e925",
    "3496f93f-4bd1-4f3c-b2ae-3eef1d385525",
    "35911480-72c2-494d-80a9-7ebdcf6cfe56",
    "3828b737-a6e8-4d29-a230-493c53f22a71",
    "3eb9ea97-8da1-4da7-bed9-8b155663c3f0",
    "43b4ef92-c2a8-4948-ba3f-c98fffe8986e",
    "46f35718-d827-4699-b56e-88b2ed6a3138",
    "4706b1fc-a6d7-4b25-a6e9-1869e19a2d75",
    "472e2071-a059-441e-bd2d-87c9f8b22b02",
    "47ed1c02-9720-4542-90e5-2605792d11a7",
    "4a8056bb-a2ef-4ef3-8255-0a757439b3aa",
    "4b6e8e70-4f3d-4967-9e79-226af65080b9",
    "5056009e-6431-4851-a8e3-21a590cc8572",
    "5342c08b-e435-43e4-9bbb-479b61a61122",
    "56aecdd9-b2a0-42ed-92d6-6de7776b508d",
    "57d308c3-b529-460f-a359-8792732ae3a4",
    "598246e0-8510-4b65-9f27-e27706f3a57a",
    "5996337c-885c-46e1-8fff-c9265b5dd270",
    "60c8abce-5c24-4443-8271-ba752ed51223",
    "61c38955-77fb-4a29-b3af-8465bd1107de",
    "65397bb5-8424-4f5c-a9b0-61909bff97ff",
    "65836f54-c8cd-4568-8d8b-656f49adce7f",
    "6a1a5224-f2ec-4b42-ae64-4148374ad38e",
    "6acc5bac-5af4-4c98-b0ff-8247ea5d417f",
    "7054159f-6a18-4663-b3f0-95c7c77f6cab",
    "70cbded4-a0d4-42ff-9d7a-4009f936b7c0",
    "75eaaf37-f36a-47df-b4ce-bb314f4342e8",
    "77499632-aad0-40d4-8084-06e0d032b29b",
    "775354f4-dd2e-41ee-ac99-0ac35ecafabc",
    "77e378c9-de27-4962-a3e6-ae73ff65f37b",
    "7858b596-6c82-4407-b517-f64fd195b721",
    "7b82ccd8-c8b8-4a99-bbf2-7622bf3062f1",
    "7b8f13f5-2b2e-40e8-86a8-3ae3f75ca04d",
    "7c4fff5d-f67a-4b9e-8f00-926a366f0b24",
    "7d22056e-5657-4d03-b836-3a867b6c171a",
    "7d9680db-dad8-4f47-9439-0c9d76b8da2f",
    "7e2a75df-3e8d-41f5-98f5-a7882a88a14d",
    "7e84a00d-78a5-4921-a779-9a1deb2153a8",
    "86bc974a-8ac9-4612-ac21-549e630e6c79",
    "88b8ba25-1773-46b0-b5a5-37a8e3c1097a",
    "8a79c599-d165-4d72-a3d1-1dcb222a184f",
    "9c26b900-06ef-4059-8332-7db676c30b8d",
    "a03f2a80-8ffe-4936-854b-6b8a187bfc74",
    "a361819c-b252-4d70-8143-649143a77d61",
    "a4e7375e-d7be-4fd7-ae79-9801682a7acd",
    "a58e338a-2e9e-4e8a-beb3-59b4702bac8a",
    "aa5f7142-e303-42d6-8072-ccde84de0c49",
    "aca9c9b8-db96-4937-879a-c351e9c7e1fe",
    "afa9333d-69a7-4548-ae0f-84d5c9c81a40",
    "b1064c59-4875-4d83-81ba-a3ccf1405156",
    "b34dca0d-b833-409e-ad68-99f6690e1e79",
    "b3bb5dab-7bd5-4ae2-a0be-55e2a45164a0",
    "b4c638b5-d120-4dc6-b876-7ea3749f47a7",
    "b6fbf6c3-b78a-49f7-9588-c41c14518d29",
    "b76e1c97-8e65-4312-94ac-ef72eae7d7d2",
    "bfa891ee-b827-4add-8080-3dece519f180",
    "c0faffe2-6495-4e68-b782-61b8c97b0c0c",
    "c5f90a99-1142-4e6e-b423-d4a10851483b",
    "cb929cce-d54f-4789-b8bf-30cd2ab51f32",
    "d02d57f2-956c-4c64-bf1a-7b56296d89f0",
    "d72762d9-d49d-413b-9e1f-99e1b3b5430d",
    "d8aeb2c4-c92e-4c37-8180-cdb95acb7fe4",
    "dcd59fb3-0087-4b1f-9472-63fd3634b176",
    "de149438-be34-427c-b23c-f0ff1e0ac781",
    "e15aeca8-e49f-4ec6-82f0-d1392da45bec",
    "e206a7d3-1cf8-4d5a-b2e1-286b0a078507",
    "e21ec4d9-b6ff-4c23-a70d-889526ac3c20",
    "e2f60cb5-4d21-44d6-88d6-ed27aeaf85dc",
    "e6bc0d4d-9384-450b-b4b1-71912e317266",
    "ecfc0234-b9f7-41d8-b56f-c93beeedcdfa",
    "f1e0c61f-4f04-4b29-b36c-993d56bdc184",
    "f74ba4b2-99ef-4359-951b-67445b338dfb",
    "f86ed34c-77aa-4091-ad72-f9926a9a2ce1",
    "f8c8b712-7870-4506-926b-c87948b2d32d",
    "f96b543a-d816-4d43-a490-937782df3f51",
    "f9d455d2-5585-4471-bcd5-1ddb3d557830",
)

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        code="ccew_register",
        # The full extract's largest tables (annual returns) unpack to hundreds of MB each.
        archive_limits=ArchiveLimits(max_bytes=4096 * MB),
        name="Register of charities: full extract (England and Wales)",
        publisher="Charity Commission for England and Wales",
        homepage="https://register-of-charities.charitycommission.gov.uk/register/full-register-download",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="zipped tab-separated text, 13 tables",
        files=tuple(
            SourceFile(
                table,
                f"{_CCEW_BASE}publicextract.{table}.zip",
                f"registers/ccew_extract_layout_synthetic/publicextract.{table}.zip",
            )
            for table in _CCEW_TABLES
        ),
        notes="The mirror holds synthetic rows in the real layout, for parser tests only.",
    ),
    Dataset(
        code="trafford_charities",
        name="Charities operating in Trafford (Charity Commission extract, 2023-04-04)",
        publisher="Trafford Data Lab, from the Charity Commission register",
        homepage="https://www.trafforddatalab.io/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="CSV",
        files=(
            SourceFile(
                "charities",
                f"{_TDL}open_data/a33a7d9/charities/charities_operating_in_trafford.csv",
                "registers/trafford_charities_ccew_2023.csv",
            ),
        ),
    ),
    Dataset(
        code="ccni_register",
        name="Register of charities (Northern Ireland)",
        publisher="Charity Commission for Northern Ireland",
        homepage="https://www.charitycommissionni.org.uk/charity-search/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="CSV (Windows-1252)",
        files=(
            SourceFile(
                "charities",
                "https://www.charitycommissionni.org.uk/umbraco/api/charityApi/ExportSearchResultsToCsv/?include=Linked&include=Removed",
                "registers/ccni_register_sample_cp1252.csv",
            ),
        ),
        notes="The mirror holds a real sample of the export.",
    ),
    Dataset(
        code="oscr_register",
        name="Scottish Charity Register",
        publisher="Office of the Scottish Charity Regulator (OSCR)",
        homepage="https://www.oscr.org.uk/about-charities/search-the-register/register-download/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution="Contains information from the Scottish Charity Register supplied by the "
        "Office of the Scottish Charity Regulator and licensed under the Open Government "
        "Licence v3.0.",
        format="CSV (in a zip)",
        files=(
            SourceFile(
                "charities",
                "https://www.oscr.org.uk/umbraco/Surface/FormsSurface/CharityRegDownload",
                "registers/oscr_register.zip",
            ),
        ),
        notes="Not in the mirror: the importer follows OSCR's published column layout.",
    ),
    Dataset(
        code="companies_house",
        # BasicCompanyDataAsOneFile: one CSV of every live company, over 2 GB unpacked.
        archive_limits=ArchiveLimits(max_bytes=8192 * MB),
        name="Basic company data",
        publisher="Companies House",
        homepage="https://download.companieshouse.gov.uk/en_output.html",
        licence="Companies House free re-use (Open Government Licence v3.0)",
        licence_url=OGL3_URL,
        attribution=(
            "Contains Companies House data licensed under the Open Government Licence v3.0."
        ),
        format="CSV (in a zip)",
        files=(
            SourceFile(
                "basic_company_data",
                "https://download.companieshouse.gov.uk/BasicCompanyDataAsOneFile-2026-11-01.zip",
                "registers/companies_house_basic_company_data_sample.csv",
            ),
        ),
        notes="The mirror holds a real sample of 87 rows across the social-economy categories.",
    ),
    Dataset(
        code="coops_uk",
        name="Co-operatives UK open data",
        publisher="Co-operatives UK",
        homepage="https://www.uk.coop/resources/open-data",
        licence="Open Data Commons Attribution License (ODC-By) 1.0",
        licence_url="https://opendatacommons.org/licenses/by/1-0/",
        attribution="Contains Co-operatives UK open data, licensed under ODC-By 1.0.",
        format="CSV",
        files=(
            SourceFile(
                "organisations",
                "https://raw.githubusercontent.com/DigitalCommons/coopsuk/a9d5033/www/standard.csv",
                "registers/coops_uk_open_data_2023q2.csv",
            ),
        ),
    ),
    Dataset(
        code="fca_mutuals",
        name="Mutuals Public Register",
        publisher="Financial Conduct Authority",
        homepage="https://mutuals.fca.org.uk/",
        licence="Not openly licensed (org-id.guide marks it closed)",
        licence_url="https://mutuals.fca.org.uk/",
        attribution="Contains information from the FCA Mutuals Public Register.",
        format="CSV",
        files=(
            SourceFile(
                "societies",
                "https://mutuals.fca.org.uk/Search/SearchResultsExport",
                "registers/fca_mutuals_register.csv",
            ),
        ),
        notes="Not in the mirror: the importer follows the register's published column layout.",
    ),
    Dataset(
        code="links_charity_company",
        name="Charity numbers linked to company numbers",
        publisher="David Kane (charity-lookups), from the Charity Commission register",
        homepage="https://github.com/drkane/charity-lookups",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution="Charity–company links from drkane/charity-lookups, ODbL 1.0.",
        format="CSV",
        files=(
            SourceFile(
                "links",
                f"{_LOOKUPS}charity-company-numbers.csv",
                "registers/links_charity_to_company_numbers.csv",
            ),
        ),
    ),
    Dataset(
        code="links_mutual_company",
        name="Mutual society numbers linked to company numbers",
        publisher="David Kane (charity-lookups)",
        homepage="https://github.com/drkane/charity-lookups",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution="Mutual–company links from drkane/charity-lookups, ODbL 1.0.",
        format="CSV",
        files=(
            SourceFile(
                "links",
                f"{_LOOKUPS}mutual-companies.csv",
                "registers/links_mutuals_gb_mpr_to_gb_coh.csv",
            ),
        ),
    ),
    Dataset(
        code="orgid_schemes",
        name="org-id.guide identifier schemes (United Kingdom)",
        publisher="Open Data Services Co-operative (org-id.guide)",
        homepage="https://org-id.guide/",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution="Identifier schemes from org-id.guide, ODbL 1.0.",
        format="JSON, one file a scheme",
        files=tuple(
            SourceFile(code, f"{_ORGID}gb-{code}.json", f"orgid/gb-{code}.json")
            for code in ("chc", "coh", "sc", "nic", "mpr", "lae", "nhs", "gov", "edu", "las", "pla")
        ),
    ),
    Dataset(
        code="local_authorities_iod2025",
        name="English local authority districts with Indices of Deprivation 2025",
        publisher="Ministry of Housing, Communities and Local Government (via Trafford Data Lab)",
        homepage="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="CSV",
        files=(
            SourceFile(
                "districts",
                f"{_TDL}open_data/main/IndicesOfDeprivation/IoD2025/local_authority_district/indices_of_deprivation_2025_lad.csv",
                "places/english_local_authorities_iod2025.csv",
            ),
        ),
    ),
    Dataset(
        code="ccew_area_codes",
        name="Charity Commission areas of operation and their GSS codes",
        publisher="Charity lookups (David Kane), from the Charity Commission's area list",
        homepage="https://github.com/drkane/charity-lookups",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution=(
            "Charity Commission area of operation lookup from drkane/charity-lookups (ODbL 1.0)."
        ),
        format="CSV",
        files=(
            SourceFile(
                "areas",
                f"{_LOOKUPS}cc-aoo-gss-iso.csv",
                "places/ccew_area_of_operation_gss.csv",
            ),
        ),
    ),
    Dataset(
        code="gb_lae_codes",
        name="Local authorities in England (GB-LAE register) and their GSS codes",
        publisher="Government Digital Service registers (archived); mapping from Find that Charity",
        homepage="https://github.com/drkane/registers-backup",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="CSV",
        files=(
            SourceFile(
                "register",
                "https://raw.githubusercontent.com/drkane/registers-backup/master/local-authority-eng.csv",
                "places/local_authority_eng_gb_lae.csv",
            ),
            SourceFile(
                "gss_mapping",
                "https://raw.githubusercontent.com/kanedata/find-that-charity/6708b98/ftc/management/commands/_la_locations.py",
                "places/gb_lae_to_gss.csv",
            ),
        ),
    ),
    Dataset(
        code="trafford_wards",
        name="Trafford electoral wards (boundaries)",
        publisher="Trafford Council (Trafford Data Lab), from ONS Open Geography",
        homepage="https://www.trafforddatalab.io/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=ONS_ATTRIBUTION,
        format="GeoJSON",
        files=(
            SourceFile(
                "wards",
                f"{_TDL}council_open_data/fe5479d/boundaries/electoral_ward.geojson",
                "places/trafford_wards.geojson",
            ),
            SourceFile(
                "local_authority",
                f"{_TDL}council_open_data/fe5479d/boundaries/local_authority_district.geojson",
                "places/trafford_local_authority.geojson",
            ),
        ),
    ),
    Dataset(
        code="trafford_postcodes",
        name="Trafford postcodes (ONS Postcode Directory, February 2025 subset)",
        publisher="Office for National Statistics (via Trafford Data Lab)",
        homepage="https://geoportal.statistics.gov.uk/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=ONS_ATTRIBUTION,
        format="CSV",
        files=(
            SourceFile(
                "postcodes",
                f"{_TDL}spatial_data/7fa4f03/postcodes/trafford_postcodes.csv",
                "places/trafford_postcodes.csv",
            ),
        ),
    ),
    Dataset(
        code="nspl",
        # Every UK postcode, as one CSV and again split by postcode area, with guides.
        archive_limits=ArchiveLimits(max_bytes=4096 * MB),
        name="National Statistics Postcode Lookup",
        publisher="Office for National Statistics",
        homepage="https://geoportal.statistics.gov.uk/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=ONS_ATTRIBUTION,
        format="CSV (in a zip); the mirror holds sample rows as JSON",
        files=(
            SourceFile(
                "postcodes",
                "https://www.arcgis.com/sharing/rest/content/items/nspl/data",
                "places/nspl_sample.json",
            ),
        ),
    ),
    # Money flows (the money context): grants, contracts and council spend.
    Dataset(
        code="giving_schema",
        name="360Giving Data Standard schema 1.4.3",
        publisher="360Giving",
        homepage="https://standard.threesixtygiving.org/en/latest/",
        licence="Creative Commons Attribution 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        attribution="360Giving Data Standard schema, 360Giving, CC-BY 4.0.",
        format="JSON Schema 2020-12",
        files=(
            SourceFile(
                "grant",
                f"{_GIVING_SCHEMA}360-giving-schema.json",
                "grants/schema/360-giving-schema.json",
            ),
            SourceFile(
                "package",
                f"{_GIVING_SCHEMA}360-giving-package-schema.json",
                "grants/schema/360-giving-package-schema.json",
            ),
        ),
        notes="Used to validate every 360Giving file before its grants are loaded.",
    ),
    Dataset(
        code="trafford_grants",
        name="Trafford Council grants to the voluntary sector (360Giving)",
        publisher="Trafford Council (Trafford Data Lab)",
        homepage="https://www.trafforddatalab.io/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="360Giving JSON and flat CSV",
        files=(
            SourceFile(
                "json",
                f"{_TDL}council_open_data/fe5479d/transparency_code/grants/trafford_council_voluntary_sector_grants.json",
                "grants/trafford_council_grants_360giving.json",
            ),
            SourceFile(
                "csv",
                f"{_TDL}council_open_data/fe5479d/transparency_code/grants/trafford_council_voluntary_sector_grants.csv",
                "grants/trafford_council_grants_360giving.csv",
            ),
        ),
    ),
    Dataset(
        code="ab_charitable_trust_grants",
        name="A B Charitable Trust grants (360Giving)",
        publisher="A B Charitable Trust",
        homepage="https://abcharitabletrust.org.uk/",
        licence="Creative Commons Attribution 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        attribution="Grants data from A B Charitable Trust, CC-BY 4.0, via 360Giving.",
        format="360Giving XLSX and JSON",
        files=(
            SourceFile(
                "xlsx",
                "https://raw.githubusercontent.com/ThreeSixtyGiving/dataquality/783b746/tools/data/ab_charitable_trust_grants.xlsx",
                "grants/ab_charitable_trust_grants.xlsx",
            ),
            SourceFile(
                "json",
                "https://raw.githubusercontent.com/ThreeSixtyGiving/dataquality/783b746/tools/data/ab_charitable_trust_grants.json",
                "grants/ab_charitable_trust_grants.json",
            ),
        ),
    ),
    Dataset(
        code="power_to_change_grants",
        name="Power to Change grants to community businesses (360Giving)",
        publisher="Power to Change",
        homepage="https://www.powertochange.org.uk/",
        licence="Creative Commons Attribution 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        attribution="Grants data from Power to Change, CC-BY, via 360Giving.",
        format="360Giving JSON",
        files=(
            SourceFile(
                "json",
                "https://raw.githubusercontent.com/ThreeSixtyGiving/grantnav/1489bd7/dataload/test_data/a002400000nO46WAAS.json",
                "grants/power_to_change_community_business_grants.json",
            ),
        ),
    ),
    Dataset(
        code="trafford_spend",
        name="Trafford Council supplier spend (Local Government Transparency Code)",
        publisher="Trafford Council (Trafford Data Lab)",
        homepage="https://www.trafforddatalab.io/",
        licence=OGL3,
        licence_url=OGL3_URL,
        attribution=OGL3_ATTRIBUTION,
        format="CSV (in a zip), described by CSVW metadata",
        files=(
            SourceFile(
                "2026-27",
                f"{_TDL}council_open_data/fe5479d/transparency_code/supplier_spend/trafford-supplier-spend-2026-27.zip",
                "spend/trafford-supplier-spend-2026-27.zip",
            ),
            SourceFile(
                "2024-25",
                f"{_TDL}council_open_data/fe5479d/transparency_code/supplier_spend/trafford-supplier-spend-2024-25.zip",
                "spend/trafford-supplier-spend-2024-25.zip",
            ),
            SourceFile(
                "metadata",
                f"{_TDL}council_open_data/fe5479d/transparency_code/supplier_spend/trafford-supplier-spend-csv-metadata.json",
                "spend/trafford-supplier-spend-csv-metadata.json",
            ),
        ),
        notes="Payments to individuals are published as 'Redacted'.",
    ),
    Dataset(
        code="contracts_finder",
        name="Contracts Finder notices (Open Contracting Data Standard 1.1)",
        publisher="Crown Commercial Service (Contracts Finder), via mySociety bluetail",
        homepage="https://www.contractsfinder.service.gov.uk/",
        licence="Open Government Licence v2.0",
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/",
        attribution="Contains public sector information licensed under the Open Government "
        "Licence v2.0.",
        format="OCDS release packages (JSON), one file a notice",
        files=tuple(
            SourceFile(
                notice[:8],
                f"{_BLUETAIL}ocds-b5fd17raw-{notice}.json",
                f"contracts/contracts_finder/ocds-b5fd17raw-{notice}.json",
            )
            for notice in _CONTRACTS_FINDER_NOTICES
        ),
        notes="A folder of 100 real release packages; contact details were removed.",
    ),
    Dataset(
        code="hsds3_schema",
        name="Human Services Data Specification 3 (Open Referral): compiled JSON schemas",
        publisher="Open Referral",
        homepage="https://docs.openreferral.org/en/latest/",
        licence="Creative Commons Attribution-ShareAlike 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        attribution="Human Services Data Specification by Open Referral, CC BY-SA 4.0.",
        format="JSON Schema",
        files=tuple(
            SourceFile(
                name,
                f"{_HSDS_SCHEMA}{name}.json",
                f"openreferral/hsds3_schema/{name}.json",
            )
            for name in ("service", "organization")
        ),
        notes="The schemas services are imported against and the services feed is tested against.",
    ),
)

_BY_CODE = {dataset.code: dataset for dataset in DATASETS}


def dataset(code: str) -> Dataset:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no dataset {code!r} in the source catalogue") from None
