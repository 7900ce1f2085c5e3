"""The one part of the build pyproject.toml cannot say: notebooks/ ships inside the package.

The analysts' notebooks stay at the top of the repository (notebooks/, each paired with its
jupytext .py); the wheel carries the .ipynb files papermill runs as perf/notebooks/, where an
installed perf finds them (perf.config.NOTEBOOKS_DIR). The .py pairs are for reviewers, not
modules, and stay out. Everything else about the build is in pyproject.toml.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

NOTEBOOKS = "perf.notebooks"


class BuildPy(build_py):
    def find_package_modules(self, package, package_dir):
        # notebooks/*.py are the notebooks' jupytext pairs, not modules of perf
        return [] if package == NOTEBOOKS else super().find_package_modules(package, package_dir)


setup(
    packages=[*find_packages(include=["perf", "perf.*"]), NOTEBOOKS],
    package_dir={NOTEBOOKS: "notebooks"},
    cmdclass={"build_py": BuildPy},
)
