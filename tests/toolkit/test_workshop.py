import pytest

from toolkit import workshop as ws


def test_a_teams_csv_in_any_column_order_becomes_teams():
    rows, problems = ws.parse_teams_csv(
        b"Priority area,City,Mayor,State,Population\n"
        b"Mobility,Port Alder,Jo Park,WA,\"81,000\"\npermitting,Fernhill,,OR,\n")
    assert problems == []
    assert [(r.profile.city, r.profile.population, r.area) for r in rows] == [
        ("Port Alder", 81000, "mobility"), ("Fernhill", None, "permitting")]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "teams.csv is empty"),
        (b"Town,State\nX,Y\n", "has no 'city' column"),
        (b"City,Population\nX,lots\n", "Row 2: population 'lots' is not a whole number."),
        (b"City,Priority area\nX,Housing\n", "Row 2: priority area 'Housing' is not one of"),
        (b"City\nX\nx\n", "Row 3: x is listed twice."),
        (b"City,State\n,WA\n", "Row 2: the city is blank."),
        (b"City\n" + b"T\n" * 201, "at most 200 teams"),
    ],
)
def test_a_bad_teams_csv_names_the_row_and_the_fix(data, problem):
    _, problems = ws.parse_teams_csv(data)
    assert any(problem in p for p in problems), problems


def test_an_overlong_city_name_is_refused_with_its_row():
    rows, problems = ws.parse_teams_csv(b"City\n" + b"x" * 81 + b"\n")
    assert rows == [] and problems[0].startswith("Row 2: City:")


def test_a_cp1252_csv_keeps_its_accents():
    rows, _ = ws.parse_teams_csv("City\nEspañola\n".encode("cp1252"))
    assert rows[0].profile.city == "Española"
