"""The app's page forms, one module per resource; the names are re-exported here (other
apps and the views import them from `emulation.forms`)."""

from .common import (
    MultipleFileField,
    MultipleFileInput,
    ServiceErrorsMixin,
    plain_number,
)
from .contests import (
    ContestForm,
    CoverageRuleForm,
    EntryForm,
    JudgeForm,
    PrizeForm,
    TeamForm,
    TeamScoreForm,
)
from .models import (
    AdoptForm,
    AdoptionReportForm,
    CommendForm,
    EvaluationForm,
    ModelEditForm,
    ProgressForm,
    RecognizeForm,
    RegisterModelForm,
    StateForm,
)
from .movements import (
    CloseWindowForm,
    CriterionForm,
    LabelForm,
    MovementForm,
    ThemeForm,
    WindowForm,
)

__all__ = [
    "AdoptForm",
    "AdoptionReportForm",
    "CloseWindowForm",
    "CommendForm",
    "ContestForm",
    "CoverageRuleForm",
    "CriterionForm",
    "EntryForm",
    "EvaluationForm",
    "JudgeForm",
    "LabelForm",
    "ModelEditForm",
    "MovementForm",
    "MultipleFileField",
    "MultipleFileInput",
    "PrizeForm",
    "ProgressForm",
    "RecognizeForm",
    "RegisterModelForm",
    "ServiceErrorsMixin",
    "StateForm",
    "TeamForm",
    "TeamScoreForm",
    "ThemeForm",
    "WindowForm",
    "plain_number",
]
