"""Survey: the geometry of a line in the global frame (MAD-X SURVEY conventions)."""

from .survey import SurveyTable, survey_from_line

__all__ = ["SurveyTable", "survey_from_line"]
