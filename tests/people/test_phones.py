import pytest

from people.phones import InvalidPhone, normalize_phone, phones_in_text


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


# ---------------------------------------------------------------------------------------
# A pasted list (the roster's bulk enrolment)


@pytest.mark.parametrize(
    ("pasted", "phones"),
    [
        ("13976001234\n13976001235", ["13976001234", "13976001235"]),
        ("13976001234\r\n13976001235\r\n", ["13976001234", "13976001235"]),
        ("13976001234,13976001235", ["13976001234", "13976001235"]),
        ("13976001234，13976001235", ["13976001234", "13976001235"]),  # Chinese comma
        ("13976001234;13976001235", ["13976001234", "13976001235"]),
        ("13976001234；13976001235", ["13976001234", "13976001235"]),  # Chinese semicolon
        ("13976001234、13976001235", ["13976001234", "13976001235"]),
        ("139 7600 1234\n139-7600-1235", ["13976001234", "13976001235"]),
        ("+86 139 7600 1234，86 139 7600 1235", ["13976001234", "13976001235"]),
        ("+8613976001234;8613976001235", ["13976001234", "13976001235"]),
        ("0086-139-7600-1234", ["13976001234"]),
        ("１３９７６００１２３４，＋８６ １３９ ７６００ １２３５", ["13976001234", "13976001235"]),
        ("１３９　７６００　１２３４", ["13976001234"]),  # ideographic spaces
        ("13976001234 13976001235", ["13976001234", "13976001235"]),  # two on one line
        ("张三\t13976001234\n李四\t139 7600 1235", ["13976001234", "13976001235"]),
        ("\n\n  13976001234  ,,  ;\n", ["13976001234"]),
    ],
)
def test_a_pasted_list_is_read_in_any_spelling(pasted, phones):
    assert [phone for _raw, phone in phones_in_text(pasted)] == phones


@pytest.mark.parametrize(
    ("pasted", "entries"),
    [
        ("1397600123", [("1397600123", None)]),  # ten digits
        ("139760012345", [("139760012345", None)]),  # twelve
        ("12000000000", [("12000000000", None)]),  # not a mobile prefix
        ("手机号", [("手机号", None)]),  # a header copied along: reported, not dropped
        ("13976001234，abc", [("13976001234", "13976001234"), ("abc", None)]),
        ("139 7600 1234 5", [("139 7600 1234", "13976001234"), ("5", None)]),
        ("", []),
    ],
)
def test_what_is_not_a_mobile_number_is_kept_as_written_and_marked(pasted, entries):
    assert phones_in_text(pasted) == entries
