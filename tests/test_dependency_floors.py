"""What a floor in pyproject.toml stands for where the rest of the suite would not notice."""

import pytest

from cdo_cli.roster_checks import phone_ok


@pytest.mark.parametrize(
    "number", ["19212345678", "19012345678", "19612345678", "19712345678", "16212345678"]
)
def test_newer_mobile_prefixes_are_valid(number: str) -> None:
    # 192 (China Broadnet) is a valid mobile from phonenumbers 8.12.53, the floor; older
    # releases would report such numbers in a roster as wrong.
    assert phone_ok(number)
