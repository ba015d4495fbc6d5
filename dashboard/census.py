"""The local population the Board compares referrals against, held as data.

`data/census_2021_luton_ethnic_group.csv` holds Luton's usual residents by broad ethnic
group at the 2021 Census (ONS, all usual residents, ethnic group; the published 4-way
grouping puts Mixed and Other ethnic groups together). To compare with another area or a
finer grouping, replace the file and BROAD_GROUP below: nothing else reads the census.
"""

import csv
from functools import cache
from pathlib import Path

from referrals.choices import Ethnicity

CENSUS_FILE = Path(__file__).parent / "data" / "census_2021_luton_ethnic_group.csv"
AREA = "Luton"
SOURCE = "ONS Census 2021, usual residents of Luton by ethnic group"

NOT_RECORDED = "Not recorded"

BROAD_GROUP = {
    Ethnicity.ASIAN_BANGLADESHI: "Asian",
    Ethnicity.ASIAN_CHINESE: "Asian",
    Ethnicity.ASIAN_INDIAN: "Asian",
    Ethnicity.ASIAN_PAKISTANI: "Asian",
    Ethnicity.ASIAN_OTHER: "Asian",
    Ethnicity.BLACK_AFRICAN: "Black",
    Ethnicity.BLACK_CARIBBEAN: "Black",
    Ethnicity.BLACK_OTHER: "Black",
    Ethnicity.MIXED_WHITE_ASIAN: "Mixed or other",
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: "Mixed or other",
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: "Mixed or other",
    Ethnicity.MIXED_OTHER: "Mixed or other",
    Ethnicity.WHITE_BRITISH: "White",
    Ethnicity.WHITE_IRISH: "White",
    Ethnicity.WHITE_GYPSY_TRAVELLER: "White",
    Ethnicity.WHITE_ROMA: "White",
    Ethnicity.WHITE_OTHER: "White",
    Ethnicity.OTHER_ARAB: "Mixed or other",
    Ethnicity.OTHER_ANY: "Mixed or other",
    Ethnicity.DECLINED: NOT_RECORDED,
    Ethnicity.NOT_KNOWN: NOT_RECORDED,
    "": NOT_RECORDED,
}


def broad_group(ethnicity: str) -> str:
    return BROAD_GROUP.get(ethnicity, NOT_RECORDED)


@cache
def population() -> dict[str, int]:
    """Usual residents by broad group, in the file's order."""
    with CENSUS_FILE.open(newline="", encoding="utf-8") as file:
        return {row["group"]: int(row["usual_residents"]) for row in csv.DictReader(file)}


def population_shares() -> dict[str, float]:
    """Each group's share of the area's population, in per cent to one decimal place."""
    people = population()
    total = sum(people.values())
    return {group: round(100 * count / total, 1) for group, count in people.items()}
