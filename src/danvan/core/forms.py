"""Form pieces every app's forms share, and the one way from a form to a service."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from .dates import DISPLAY_FORMAT, INPUT_FORMATS
from .errors import DomainError


def submit(request, form, write, *, success, then):
    """A valid form's `write(cleaned_data)`. A service's DomainError goes back on the form
    (the form needs ServiceErrorsMixin) and None is returned: show the form again.
    Otherwise the success message (`success(result)` when callable) and a redirect to
    `then(result)`: a URL, or a URL name and its arguments as a tuple."""
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except DomainError as exc:
        form.add_service_error(exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    target = then(result)
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


class DateInput(forms.DateInput):
    """Typed as dd/mm/yyyy whatever the browser's language (a browser date picker shows
    mm/dd/yyyy in an English browser)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "autocomplete": "off", "class": "date",
                "placeholder": "dd/mm/yyyy", "maxlength": "10"}  # fmt: skip
        super().__init__(attrs={**base, **(attrs or {})}, format=DISPLAY_FORMAT)


class DateField(forms.DateField):
    widget = DateInput
    input_formats = INPUT_FORMATS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(*args, **kwargs)


class ServiceErrorsMixin:
    """Shows a service's DomainError on the field it names (or on the form); `aliases`
    maps a service's field name to the form's. An edit conflict also puts the version
    now stored next to the user's input (`conflict`), and the stored version into the
    form, so saving again is a deliberate choice."""

    aliases: dict[str, str] = {}
    conflict: list = ()

    def service_field(self, name: str) -> str | None:
        for candidate in (name, name.split(".", 1)[0]):
            candidate = self.aliases.get(candidate, candidate)
            if candidate in self.fields:
                return candidate
        return None

    def add_service_error(self, exc) -> None:
        from .versions import EditConflict

        if isinstance(exc, EditConflict):
            self._show_conflict(exc)
        self.add_error(self.service_field(exc.field or ""), str(exc.message))

    def _show_conflict(self, exc) -> None:
        rows = []
        cleaned = getattr(self, "cleaned_data", {})
        for name, theirs in exc.current.items():
            field = self.service_field(name)
            if field is None or field == "version":
                continue
            yours = cleaned.get(field, self.data.get(field))
            if _shown(theirs) != _shown(yours):
                rows.append((self.fields[field].label, _shown(theirs), _shown(yours)))
        self.conflict = rows
        data = self.data.copy()
        data["version"] = exc.version
        self.data = data


def _shown(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime(DISPLAY_FORMAT)
    if isinstance(value, list | tuple):
        return "\n\n".join(str(v) for v in value)
    return str(value).strip()


class VersionField(forms.CharField):
    """The version of the record when the edit page was opened (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
