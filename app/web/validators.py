"""Form validators Plaza uses instead of WTForms' own where those can crash on hostile input."""
from __future__ import annotations

from wtforms.validators import NumberRange as _WTFormsNumberRange


class NumberRange(_WTFormsNumberRange):
    """WTForms' range check, safe for any integer a person can type.

    WTForms converts the value to a float to test for NaN, so a 400-digit number raised
    OverflowError (a 500) instead of the range message. Integers are compared exactly.
    """

    def __call__(self, form, field):
        if isinstance(field.data, int):
            low, high = self._resolve(self.min), self._resolve(self.max)
            if (low is None or field.data >= low) and (high is None or field.data <= high):
                return
            field.data = None  # so WTForms' check below only words the message; the form shows raw_data
        super().__call__(form, field)
