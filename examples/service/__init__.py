"""The reference service: ``tradeassure.store`` behind HTTP (FastAPI); see README.md."""
