"""The top floor: what each process builds (context, job registry, Celery app) and runs."""
