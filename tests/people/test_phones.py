import pytest

from people.phones import InvalidPhone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "13976001234",
        "139 7600 1234",
        "139-7600-1234",
        "+86 139 7600 1234",
        "+8613976001234",
        "008613976001234",
        "8613976001234",
        "１３９７６００１２３４",  # full-width digits from a Chinese input method
        "１３９　７６００　１２３４",  # with ideographic spaces
        " 13976001234 ",
    ],
)
def test_common_spellings_become_eleven_digits(raw):
    assert normalize_phone(raw) == "13976001234"


@pytest.mark.parametrize("raw", ["", "12345", "1397600123", "139760012345", "23976001234", "abc"])
def test_non_mobile_numbers_are_refused_with_a_code(raw):
    with pytest.raises(InvalidPhone) as excinfo:
        normalize_phone(raw)
    assert excinfo.value.code == "invalid_phone"
