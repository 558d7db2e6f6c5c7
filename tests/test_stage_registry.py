"""One stage registry, one stage result, one phase timer: the runner runs what the registry
names, and every stage's phases are timed (and named in Spark) the same way."""

import pytest

from newslake import stages
from newslake.bronze.ingest import run_ingest
from newslake.gold.stage import run_aggregate
from newslake.runner import run_stage
from newslake.runs import StageResult
from newslake.silver.stage import run_enrich
from newslake.stories.stage import run_stories
from newslake.timing import PhaseTimer


def test_registry_lists_the_stages_in_order_with_their_layer_runners():
    assert list(stages.STAGES) == ["ingest", "enrich", "stories", "aggregate"]
    assert [s.run for s in stages.STAGES.values()] == [run_ingest, run_enrich, run_stories, run_aggregate]
    assert all(name == s.name for name, s in stages.STAGES.items())


def test_an_unknown_stage_is_refused_with_the_stages_named(spark, settings_factory):
    settings = settings_factory()
    with pytest.raises(ValueError, match="unknown stage 'enrichment'; stages are ingest, enrich, stories, aggregate"):
        run_stage(spark, settings, "enrichment")


def test_timer_sums_a_phase_that_runs_twice_and_keeps_first_run_order():
    ticks = iter([0.0, 1.0, 10.0, 14.0, 20.0, 20.5])  # cpu clock: start/end of each phase
    timer = PhaseTimer(cpu_clock=lambda: next(ticks))
    for name in ("b", "a", "b"):
        with timer.phase(name):
            pass
    assert list(timer.phase_seconds()) == ["b", "a"]
    assert timer.cpu_seconds == {"b": 1.5, "a": 4.0}
    assert all(0 <= s < 1 for s in timer.seconds.values())
    assert timer.rows_per_second("never_ran", 100) == 0.0


def test_timer_counts_a_failed_phase_and_rates_rows():
    timer = PhaseTimer()
    with pytest.raises(RuntimeError):
        with timer.phase("fails"):
            raise RuntimeError("boom")
    assert "fails" in timer.seconds
    timer.seconds["scored"] = 2.0
    assert timer.rows_per_second("scored", 5) == 2.5
    assert PhaseTimer().phase_seconds() == {}


def test_timer_names_the_spark_jobs_of_each_phase(spark):
    context = spark.sparkContext
    timer = PhaseTimer(spark, "enrich")
    with timer.phase("annotate"):
        assert context.getLocalProperty("spark.job.description") == "enrich: annotate"
        with timer.phase("link_companies"):
            assert context.getLocalProperty("spark.job.description") == "enrich: link_companies"
        assert context.getLocalProperty("spark.job.description") == "enrich: annotate"
    assert context.getLocalProperty("spark.job.description") is None
    with PhaseTimer(spark).phase("unnamed"):  # no label: Spark's job names are left alone
        assert context.getLocalProperty("spark.job.description") is None


def test_stage_result_figures_are_counts_then_phases_then_rates():
    result = StageResult(
        {"rows_in": 3, "rows_out": 2}, {"annotate": 1.25, "write_tables": 0.5}, {"sentence_sentiment": 40.0}
    )
    assert result.figures() == {
        "rows_in": 3,
        "rows_out": 2,
        "annotate_seconds": 1.25,
        "write_tables_seconds": 0.5,
        "sentence_sentiment_rows_per_second": 40.0,
    }
    assert StageResult({"files": 0}).figures() == {"files": 0}
