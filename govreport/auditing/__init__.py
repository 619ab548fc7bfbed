"""Auditing published reports: check's rules on the numbers as printed, and more.

One concept per module: ``sources`` (reading reports, the adapter over import),
``findings``, ``figures`` (derived ratios), ``similarity`` (内容雷同), ``run`` (the
audit of a whole run), and the outputs ``html`` and ``xlsx``.
"""

from .run import AuditRun, ReportAudit, audit

__all__ = ["AuditRun", "ReportAudit", "audit"]
