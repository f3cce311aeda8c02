"""The voices pages: cases (intake, worklist, case page, public tracking) and meetings
(reception, dialogues, dashboard, hot spots), each in its own module."""

from . import urls_cases, urls_meetings

app_name = "voices"

urlpatterns = [*urls_cases.urlpatterns, *urls_meetings.urlpatterns]
