"""assessment.documents."""
