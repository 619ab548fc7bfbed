"""Auditing published reports: check's rules on the numbers as printed, and more.

One concept per module: ``sources`` (reading reports, the adapter over import),
``caveats`` (what import did not read for certain), ``findings``, ``figures`` (derived
ratios), ``similarity`` (内容雷同), ``region`` (the run-wide checks), ``names`` (agency names as
compared), ``agencies`` (who is missing, from the agency list), ``results`` (what an
audit hands back), ``run`` (the audit of a whole run), and the outputs
``report_page`` (HTML) and ``report_workbook`` (xlsx).
"""

from .run import AuditRun, ReportAudit, audit

__all__ = ["AuditRun", "ReportAudit", "audit"]
