"""GOV.UK Frontend classes for Django forms, so every form gets the same error summary,
inline errors and hints (see templates/accounts/forms/)."""

from __future__ import annotations

from typing import Any

from django import forms


class GovukFormMixin:
    """Adds GOV.UK classes and the ids the error summary links to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "govuk-checkboxes__input"
            elif isinstance(widget, forms.RadioSelect):
                css = "govuk-radios__input"
            elif isinstance(widget, forms.Select):
                css = "govuk-select"
            elif isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            else:
                css = "govuk-input"
            widget.attrs.setdefault("class", css)
            widget.attrs["id"] = f"id_{name}"

    @property
    def first_field_id(self) -> str:
        names = list(self.fields)  # type: ignore[attr-defined]
        return f"id_{names[0]}" if names else "main-content"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] += f" {widget.attrs['class'].split()[0]}--error"
                widget.attrs["aria-describedby"] = f"{name}-error"


class GovukForm(GovukFormMixin, forms.Form):
    pass
