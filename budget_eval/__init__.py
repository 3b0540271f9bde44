"""budget_eval: 预算事前绩效评估与部门综合考评系统."""
from budget_eval.app import create_app

__all__ = ["create_app"]
