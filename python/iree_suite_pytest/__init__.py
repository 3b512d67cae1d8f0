"""pytest plugin of iree-suite (registered through the `pytest11` entry point):
pytest-iree's command lines, run by the iree-suite C++ engine."""
