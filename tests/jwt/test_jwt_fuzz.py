"""Whatever arrives, decode either returns a payload or raises InvalidToken."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from authcore import jwt

SECRET = "fuzz-secret-0123456789abcdef"
SALT = "authjs.session-token"
NOW = 1_800_000_000
VALID = jwt.encode(token={"sub": "fuzz", "n": [1, 2]}, secret=SECRET, salt=SALT, now=NOW)
VALID_V4 = jwt.encode_v4(token={"sub": "fuzz"}, secret=SECRET, now=NOW)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \x00é"


def _try(token: str) -> None:
    for v4 in (False, True):
        try:
            if v4:
                payload = jwt.decode_v4(token=token, secret=SECRET, now=NOW)
            else:
                payload = jwt.decode(token=token, secret=[SECRET, "other"], salt=SALT, now=NOW)
        except jwt.InvalidToken as exc:
            assert str(exc) == "invalid token"
        else:
            assert isinstance(payload, dict)


@settings(derandomize=True, max_examples=300)
@given(st.text())
def test_random_text(token: str) -> None:
    _try(token)


@settings(derandomize=True, max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=600))
def test_random_token_like_text(token: str) -> None:
    _try(token)


@settings(derandomize=True, max_examples=300)
@given(
    st.sampled_from([VALID, VALID_V4]),
    st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from(ALPHABET)), min_size=1, max_size=4
    ),
)
def test_mutations_of_a_valid_token(token: str, edits: list[tuple[int, str]]) -> None:
    chars = list(token)
    for position, char in edits:
        chars[position % len(chars)] = char
    mutated = "".join(chars)
    _try(mutated)
    if mutated != token:
        # A changed token never decrypts to the original claims with a new meaning.
        try:
            payload = jwt.decode(token=mutated, secret=SECRET, salt=SALT, now=NOW)
        except jwt.InvalidToken:
            return
        raise AssertionError(f"mutated token accepted: {payload!r}")


@settings(derandomize=True, max_examples=300)
@given(st.integers(min_value=0), st.integers(min_value=1, max_value=40))
def test_truncations_and_extensions(cut: int, extra: int) -> None:
    _try(VALID[: cut % len(VALID)])
    _try(VALID + "A" * extra)
    _try(VALID + "." * extra)
