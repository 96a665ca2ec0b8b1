"""Staff pages (back office): reception desk, work queues, dossier processing, print forms."""
