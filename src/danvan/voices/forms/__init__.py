"""The forms of the voices pages: the case pages (`cases`) and the meeting pages (`meetings`)."""
