"""Classification metrics computed in Spark: only the (at most 3 x 3) confusion counts reach
the driver, whatever the size of the scored frame."""

from __future__ import annotations

from typing import Dict, List, Sequence

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslake.nlp.sentiment import SENTIMENT_LABELS


def confusion_counts(df: DataFrame, label_col: str = "label", prediction_col: str = "sentiment_label") -> DataFrame:
    """``(label, prediction, n)`` counts; one row per observed pair (at most 9)."""
    return df.groupBy(F.col(label_col).alias("label"), F.col(prediction_col).alias("prediction")).agg(
        F.count(F.lit(1)).alias("n")
    )


def confusion_matrix(
    df: DataFrame,
    label_col: str = "label",
    prediction_col: str = "sentiment_label",
    labels: Sequence[str] = SENTIMENT_LABELS,
) -> List[List[int]]:
    """Rows are true labels, columns predictions, both in ``labels`` order."""
    counts = confusion_counts(df, label_col, prediction_col).collect()
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for row in counts:
        if row["label"] not in index or row["prediction"] not in index:
            raise ValueError(f"label {row['label']!r} / prediction {row['prediction']!r} not in {list(labels)}")
        matrix[index[row["label"]]][index[row["prediction"]]] += int(row["n"])
    return matrix


def metrics_from_confusion(matrix: List[List[int]], labels: Sequence[str] = SENTIMENT_LABELS) -> Dict[str, object]:
    """n, accuracy, macro-F1 (over ``labels``) and per-class precision/recall/F1/support."""
    n = sum(sum(row) for row in matrix)
    per_class: Dict[str, Dict[str, float]] = {}
    f1s: List[float] = []
    for i, label in enumerate(labels):
        tp = matrix[i][i]
        predicted = sum(matrix[r][i] for r in range(len(labels)))
        actual = sum(matrix[i])
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual,
        }
    correct = sum(matrix[i][i] for i in range(len(labels)))
    macro_f1 = sum(f1s) / len(f1s) if f1s else 0.0
    return {
        "n": n,
        "accuracy": round(correct / n, 4) if n else 0.0,
        "macro_f1": round(macro_f1, 4),
        "per_class": per_class,
        "labels": list(labels),
        "confusion_matrix": matrix,
    }


def classification_metrics(
    df: DataFrame,
    label_col: str = "label",
    prediction_col: str = "sentiment_label",
    labels: Sequence[str] = SENTIMENT_LABELS,
) -> Dict[str, object]:
    """Accuracy, macro-F1, per-class P/R/F1 and the confusion matrix of a scored frame."""
    return metrics_from_confusion(confusion_matrix(df, label_col, prediction_col, labels), labels)
