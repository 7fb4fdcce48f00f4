"""Which models keep a history, and the recorder of each.

``history.track()`` registers a model here; the version check
(versioning.py) and the conflict form (forms.py) look it up, instead of
reading an attribute set on the model class.
"""

_recorders = {}


def register(model, recorder) -> None:
    _recorders[model] = recorder


def recorder_for(model):
    """The history recorder of ``model`` (a HistoricalRecords), or None if it keeps none."""
    return _recorders.get(model)


def is_tracked(model) -> bool:
    return model in _recorders
