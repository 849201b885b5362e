"""The catalogue of official data sources: who publishes each, where, under what licence.

Importers name a dataset code from here; `manage.py fetch_sources` downloads the files, or
finds them in the mirror folder (COMMONGROUND_DATA_MIRROR) laid out like ../shared/data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
_LOOKUPS = "https://raw.githubusercontent.com/drkane/charity-lookups/master/"
_ORGID = "https://raw.githubusercontent.com/org-id/register/main/lists/gb/"

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        code="ccew_register",
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
)

_BY_CODE = {dataset.code: dataset for dataset in DATASETS}


def dataset(code: str) -> Dataset:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no dataset {code!r} in the source catalogue") from None
