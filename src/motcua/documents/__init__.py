"""Documents: files and storage, upload validation, digitisation, form rendering, signing and
verification."""
