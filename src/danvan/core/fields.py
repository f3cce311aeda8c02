from django.db import models


class PathField(models.CharField):
    """A materialized path compared byte by byte on every database (see core.tree)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
