"""Forms of the plans pages: types and required fields only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, ServiceErrorsMixin, VersionField

from .models import ActionKind, ConferenceKind, DocumentKind, Grade, ProgrammeKind, Rollup


class TaskForm(ServiceErrorsMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner unit"))
    programme = forms.ModelChoiceField(queryset=None, label=_("Work programme"), required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_on = DateField(label=_("Start"), required=False)
    deadline = DateField(label=_("Deadline"))
    target = forms.DecimalField(
        label=_("Target"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    target_unit = forms.CharField(
        label=_("Unit of measure"), required=False, max_length=50, help_text=_("e.g. buổi, hộ")
    )
    rollup = forms.ChoiceField(
        label=_("Roll-up when cascaded"), choices=Rollup.choices, initial=Rollup.COUNT
    )

    def __init__(self, *args, units, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = units
        self.fields["programme"].queryset = programmes


class TaskEditForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_on = DateField(label=_("Start"))
    deadline = DateField(label=_("Deadline"))
    target = forms.DecimalField(
        label=_("Target"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    target_unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=50)
    rollup = forms.ChoiceField(label=_("Roll-up when cascaded"), choices=Rollup.choices)
    version = VersionField()


class AddressForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Units"), widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class ProgressForm(ServiceErrorsMixin, forms.Form):
    aliases = {"state": "narrative", "task": "narrative"}

    reported_on = DateField(label=_("Date"))
    value = forms.DecimalField(
        label=_("Value achieved so far"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    percent = forms.DecimalField(
        label=_("Percent done"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("Leave empty to compute it from the value and the target."),
    )
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    done = forms.BooleanField(label=_("The task is done"), required=False)
    file = forms.FileField(label=_("Evidence (PDF, image, DOCX, XLSX)"), required=False)


class CascadeForm(ServiceErrorsMixin, forms.Form):
    aliases = {"deadline": "units"}

    units = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Units"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Each unit gets its own task; its progress rolls up to this one."),
    )
    weights = forms.CharField(
        label=_("Weights"),
        required=False,
        help_text=_(
            "For a weighted roll-up: one number per unit, in the order listed, "
            "separated by commas (default 1 each)."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(ServiceErrorsMixin, forms.Form):
    aliases = {"actions": "plan_due"}

    issuer = forms.ModelChoiceField(queryset=None, label=_("Issuing body"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number and symbol"), max_length=60,
                             help_text=_("e.g. 28-CT/TU"))  # fmt: skip
    issued_on = DateField(label=_("Issued on"))
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("File"), required=False)
    recipients = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Addressed to"),
        widget=forms.CheckboxSelectMultiple,
    )
    plan_due = DateField(label=_("Implementing plan due on"), required=False)
    report_due = DateField(label=_("Report due on"), required=False)
    preliminary_due = DateField(label=_("Preliminary review due on"), required=False)
    final_due = DateField(label=_("Final review due on"), required=False)

    DUE_FIELDS = {
        "plan_due": ActionKind.IMPLEMENTING_PLAN,
        "report_due": ActionKind.REPORT,
        "preliminary_due": ActionKind.PRELIMINARY_REVIEW,
        "final_due": ActionKind.FINAL_REVIEW,
    }

    def __init__(self, *args, issuers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        self.fields["recipients"].queryset = units

    def actions(self) -> list[tuple]:
        return [
            (kind, self.cleaned_data[name])
            for name, kind in self.DUE_FIELDS.items()
            if self.cleaned_data.get(name)
        ]


class CompletionForm(ServiceErrorsMixin, forms.Form):
    action = forms.ModelChoiceField(queryset=None, label=_("Required action"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    done_on = DateField(label=_("Done on"))
    reference = forms.CharField(
        label=_("Document number"), required=False, max_length=60, help_text=_("e.g. 15-KH/ĐU")
    )
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, actions, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["unit"].queryset = units


class ProgrammeForm(ServiceErrorsMixin, forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    period = forms.ModelChoiceField(
        queryset=None,
        label=_("Period"),
        required=False,
        help_text=_("Choose a period, or give the start and end."),
    )
    start = DateField(label=_("Start"), required=False)
    end = DateField(label=_("End"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units, **kwargs):
        from danvan.org.models import Period

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        self.fields["period"].queryset = Period.objects.filter(
            kind__in=["year", "half", "quarter"]
        ).order_by("-start", "kind")


class ConferenceForm(ServiceErrorsMixin, forms.Form):
    organizer = forms.ModelChoiceField(queryset=None, label=_("Organizing unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ConferenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = DateField(label=_("Date"))
    period = forms.ModelChoiceField(queryset=None, label=_("Period reviewed"), required=False)
    participant_units = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Participating units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    participant_count = forms.IntegerField(
        label=_("Participants"), min_value=0, max_value=100000, initial=0
    )
    file = forms.FileField(label=_("Report presented (file)"), required=False)
    report_ref = forms.CharField(
        label=_("Report presented (reference or link)"), required=False, max_length=500
    )
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    key_tasks = forms.CharField(
        label=_("Key tasks for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line; each can then become a task in one step."),
    )

    def __init__(self, *args, organizers, units, **kwargs):
        super().__init__(*args, **kwargs)
        from danvan.org.models import Period

        self.fields["organizer"].queryset = organizers
        self.fields["participant_units"].queryset = units
        self.fields["period"].queryset = Period.objects.exclude(kind="term").order_by(
            "-start", "kind"
        )


class KeyTaskForm(ServiceErrorsMixin, forms.Form):
    deadline = DateField(label=_("Deadline"))


class CoordinationForm(ServiceErrorsMixin, forms.Form):
    lead = forms.ModelChoiceField(queryset=None, label=_("Lead party"))
    title = forms.CharField(label=_("Title"), max_length=300)
    start = DateField(label=_("Start"))
    end = DateField(label=_("End"))
    signed_on = DateField(label=_("Signed on"), required=False)
    parties = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Other parties"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, leads, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["parties"].queryset = units


class ActivityForm(ServiceErrorsMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Party"))
    title = forms.CharField(label=_("Activity"), max_length=500)
    deadline = DateField(label=_("Deadline"))

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = parties


class EvaluationForm(ServiceErrorsMixin, forms.Form):
    party = forms.ModelChoiceField(queryset=None, label=_("Party"))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    score = forms.DecimalField(
        label=_("Score (0–100)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
