# SPDX-License-Identifier: Apache-2.0
"""Numbers as JavaScript prints them (Number.prototype.toString), for the JSON
form: the shortest digits that read back to the same value *at the field's own
width* (float32 for f32), decimal notation from 1e-7 to 1e21, exponent notation
outside. The C++ runtime (wirekit::formatJsNumber) prints the same text."""

from __future__ import annotations

import math
import struct
from decimal import Decimal, localcontext


def _f32_bits(value: float) -> int:
    return struct.unpack("<I", struct.pack("<f", value))[0]


def _f32_from_bits(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _f32_interval(value: float) -> tuple[Decimal, Decimal, bool]:
    """The decimals that round to the float32 value (positive, finite): the open
    interval (low, high), closed when the significand is even (ties to even)."""
    bits = _f32_bits(value)
    exact = Decimal(value)
    below = Decimal(_f32_from_bits(bits - 1)) if bits > 0 else -exact
    if bits + 1 >= 0x7F800000:  # the largest float: the next step up is "infinity"
        above = exact + (exact - below)
    else:
        above = Decimal(_f32_from_bits(bits + 1))
    return (below + exact) / 2, (exact + above) / 2, bits % 2 == 0


def _digits_of(text: str) -> tuple[str, int]:
    """('12345', n) with value = 0.12345 x 10^n, from a repr-style text."""
    mantissa, _, exponent = text.partition("e")
    e = int(exponent) if exponent else 0
    integer, _, fraction = mantissa.partition(".")
    digits = integer + fraction
    point = len(integer) + e
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    stripped = stripped.rstrip("0")
    return stripped or "0", point


def shortest_digits(value: float, width: int) -> tuple[str, int]:
    """The shortest round-trip digits of a finite positive value and its decimal
    point position (value = 0.DIGITS x 10^point)."""
    if width == 8:
        return _digits_of(repr(value))
    with localcontext() as context:
        context.prec = 400
        return _shortest_f32(value)


def _shortest_f32(value: float) -> tuple[str, int]:
    exact = Decimal(value)
    low, high, closed = _f32_interval(value)
    for precision in range(1, 10):
        rounded = f"{value:.{precision - 1}e}"
        mantissa, _, exponent = rounded.partition("e")
        n = int(mantissa.replace(".", ""))
        scale = int(exponent) - (precision - 1)
        best = None
        # n first: on a tie the correctly rounded (half to even) digits win, as in fmt.
        for candidate in (n, n - 1, n + 1):
            if candidate <= 0:
                continue
            candidate_value = Decimal(candidate).scaleb(scale)
            inside = low <= candidate_value <= high if closed else low < candidate_value < high
            if inside:
                distance = abs(candidate_value - exact)
                if best is None or distance < best[0]:
                    best = (distance, candidate)
        if best is not None:
            return _digits_of(f"{best[1]}e{scale}")
    return _digits_of(repr(value))


def shortest_float32(value: float) -> str:
    """A C-style literal (without suffix) of the shortest digits of a float32 value."""
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    digits, point = shortest_digits(abs(value), 4)
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[0]}.{digits[1:] or '0'}e{point - 1}"


def js_number(value: float, width: int = 8) -> str:
    """The text JavaScript gives for value (a float32 value when width is 4)."""
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "0"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    sign = "-" if value < 0 else ""
    digits, n = shortest_digits(abs(value), width)
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exponent = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
