"""Background jobs: the record of each piece of work done by ``assay worker`` (who asked, what,
how far along, the result file or the error) and the small machinery around Django's tasks
API (``django_tasks`` with its database backend). The tasks themselves live in the apps that
own the work (``assay.audits.tasks`` and so on); see docs/jobs.md."""
