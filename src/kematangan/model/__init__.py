"""The optional calibrated model: probabilities beside the rules, never instead.

scikit-learn is imported only when a model is fitted or evaluated, so importing this
package stays cheap.
"""

from kematangan.model.calibrated import MaturityModel, evaluate_model
from kematangan.model.synthetic import make_synthetic

__all__ = ["MaturityModel", "evaluate_model", "make_synthetic"]
