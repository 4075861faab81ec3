"""People sort the Vietnamese way: given name, middle, family; the Vietnamese alphabet; then tones."""

import random

import pytest

from common.text import name_sort_key


def _sorted(names):
    return sorted(names, key=name_sort_key)


def test_given_name_first_then_middle_then_family():
    assert _sorted(["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An"]) == \
        ["Trần Thị An", "Lê Văn An", "Nguyễn Văn Bình"]  # An < Bình; among the Ans, Thị < Văn


def test_the_vietnamese_alphabet():
    assert _sorted(["Đặng", "Dương", "Ân", "Ăn", "An"]) == ["An", "Ăn", "Ân", "Dương", "Đặng"]
    assert _sorted(["Hồ", "Hoàng"]) == ["Hoàng", "Hồ"]
    assert _sorted(["Ước", "Uy", "Vũ"]) == ["Uy", "Ước", "Vũ"]
    assert _sorted(["Ơn", "Ôn", "On"]) == ["On", "Ôn", "Ơn"]


def test_a_shorter_name_comes_before_a_longer_one_it_starts():
    assert _sorted(["Anh", "An"]) == ["An", "Anh"]
    assert _sorted(["Nguyễn Văn Anh", "Nguyễn Văn An"]) == ["Nguyễn Văn An", "Nguyễn Văn Anh"]


def test_tones_only_part_names_equal_in_their_letters():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert _sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert _sorted(["Mạ", "Man"]) == ["Mạ", "Man"]  # the letters decide before any tone


def test_decomposed_input_and_case_sort_like_composed_lower_case():
    assert name_sort_key("Nguye\u0302\u0303n Văn An") == name_sort_key("nguyễn văn an")


@pytest.mark.parametrize("seed", range(5))
def test_the_key_is_digits_only_so_every_collation_agrees(seed):
    rng = random.Random(seed)
    pool = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    names = [" ".join("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))).capitalize()
                      for _ in range(rng.randint(1, 4))) for _ in range(200)]
    keys = [name_sort_key(n) for n in names]
    assert all(k.isdigit() and k.isascii() for k in keys)


@pytest.mark.django_db
def test_the_database_sorts_people_the_same_way(province):
    from organizations.models import Person
    from tests.factories import PersonFactory

    names = ["Đặng Thị Hồ", "Nguyễn Văn Hoàng", "Trần Dương", "Lê Văn An", "Phạm Thị Anh", "Vũ Ân", "Hồ Ăn"]
    for name in names:
        PersonFactory(full_name=name)
    assert list(Person.objects.order_by("sort_name").values_list("full_name", flat=True)) == \
        ["Lê Văn An", "Phạm Thị Anh", "Hồ Ăn", "Vũ Ân", "Trần Dương", "Nguyễn Văn Hoàng", "Đặng Thị Hồ"]
    assert list(Person.objects.values_list("full_name", flat=True)) == _sorted(names)  # the default order
