import io
import json
import sys
from pathlib import Path

import pytest

import retune
from retune import _schema
from retune.progress import Progress

from fake_api import FakeApi, sweep_detail, trpc_error


@pytest.fixture
def api():
    fake = FakeApi()
    yield fake
    fake.close()


@pytest.fixture
def client(api):
    return retune.Client(api.url + "/", "rt_secret")


def test_queries_are_gets_and_mutations_posts_with_the_bearer_token(api, client):
    api.routes["sweep.get"] = lambda _: (200, sweep_detail())
    api.routes["sweep.control"] = lambda i: (200, {"id": i["id"], "action": "extendBudget"})
    assert client.sweep("sw_1")["name"] == "demo"
    client.extend("sw_1", 5)
    assert api.requests == [
        {"method": "GET", "procedure": "sweep.get", "input": {"id": "sw_1"},
         "authorization": "Bearer rt_secret"},
        {"method": "POST", "procedure": "sweep.control",
         "input": {"id": "sw_1", "request": {"action": "extendBudget", "extraTrials": 5}},
         "authorization": "Bearer rt_secret"},
    ]  # fmt: skip


def test_launch_reads_a_json_file_and_keeps_the_servers_field_paths(api, client, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"name": "x", "maxTrials": 0}))
    api.routes["sweep.launch"] = lambda i: trpc_error(
        "BAD_REQUEST", 400, "maxTrials: must be at least 1",
        [{"path": "maxTrials", "message": "must be at least 1"}],
    )  # fmt: skip
    with pytest.raises(retune.InvalidRequestError) as caught:
        client.launch(spec)
    assert api.requests[0]["input"] == {"spec": {"name": "x", "maxTrials": 0}}
    err = caught.value
    assert (err.code, err.http_status, err.procedure) == ("BAD_REQUEST", 400, "sweep.launch")
    assert err.issues == [retune.Issue("maxTrials", "must be at least 1")]
    assert "maxTrials: must be at least 1" in str(err)


def test_trpcs_own_input_errors_become_issues_with_dotted_paths(api, client):
    zod = [{"code": "too_small", "path": ["request", "extraTrials"], "message": "Too small"}]
    api.routes["sweep.get"] = lambda _: trpc_error("BAD_REQUEST", 400, json.dumps(zod))
    with pytest.raises(retune.InvalidRequestError) as caught:
        client.sweep("sw_1")
    assert caught.value.issues == [retune.Issue("request.extraTrials", "Too small")]
    assert caught.value.message == "invalid input: request.extraTrials: Too small"


def test_a_refused_token_and_a_missing_sweep_have_their_own_errors(api, client):
    api.routes["sweep.list"] = lambda _: trpc_error("UNAUTHORIZED", 401, "sign in to do this")
    api.routes["sweep.get"] = lambda _: trpc_error("NOT_FOUND", 404, "sweep nope not found")
    with pytest.raises(retune.AuthError, match="sign in"):
        client.sweeps()
    with pytest.raises(retune.NotFoundError, match="nope"):
        client.sweep("nope")


def test_extend_adds_gpu_hours_to_a_sweep_with_a_gpu_budget(api, client):
    api.routes["sweep.control"] = lambda i: (200, {"id": i["id"], "action": "extendGpuBudget"})
    client.extend("sw_1", gpu_hours=1.5)
    assert api.requests[0]["input"] == {
        "id": "sw_1",
        "request": {"action": "extendGpuBudget", "extraGpuHours": 1.5},
    }
    with pytest.raises(ValueError, match="extra_trials, gpu_hours or both"):
        client.extend("sw_1")


def test_requests_the_schema_refuses_fail_before_sending(api, client):
    with pytest.raises(retune.RequestShapeError, match=r"request\.extraTrials: must be >= 1"):
        client.extend("sw_1", 0)
    with pytest.raises(retune.RequestShapeError, match="status: must be one of"):
        client.sweeps(status="done")
    assert api.requests == []


def test_sweeps_pages_with_the_last_id_of_the_previous_page(api, client):
    api.routes["sweep.list"] = lambda _: (200, [])
    assert client.sweeps(limit=2, after="sw_9") == []
    assert api.requests[-1]["input"] == {"limit": 2, "after": "sw_9"}


def test_no_answer_and_a_non_json_answer_name_the_url(api):
    api.routes["auth.me"] = lambda _: (502, b"<html>bad gateway</html>")
    with pytest.raises(retune.ConnectionFailed, match="without JSON"):
        retune.Client(api.url, "t").me()
    with pytest.raises(retune.ConnectionFailed, match="cannot reach the Retune API at http://"):
        retune.Client("http://127.0.0.1:9", "t", timeout=5).me()


def test_url_and_token_come_from_the_environment_as_for_the_cli(monkeypatch):
    monkeypatch.delenv("RETUNE_API_URL", raising=False)
    monkeypatch.delenv("RETUNE_API_TOKEN", raising=False)
    with pytest.raises(retune.RetuneError, match="RETUNE_API_URL"):
        retune.Client()
    monkeypatch.setenv("RETUNE_API_URL", "http://x")
    with pytest.raises(retune.RetuneError, match="retune token create"):
        retune.Client()
    monkeypatch.setenv("RETUNE_API_TOKEN", "t")
    assert retune.Client().url == "http://x"


def test_wait_polls_until_a_final_status_showing_progress(api, client, capsys):
    answers = iter([sweep_detail("running", 1), sweep_detail("running", 2), sweep_detail()])
    api.routes["sweep.get"] = lambda _: (200, next(answers))
    stream = io.StringIO()
    import retune.client as module

    module.Progress = lambda total, desc: Progress(total, desc, stream)  # type: ignore
    try:
        detail = client.wait("sw_1", poll=0)
    finally:
        module.Progress = Progress  # type: ignore
    assert detail["status"] == "completed"
    assert stream.getvalue().splitlines() == [
        "demo: 1/3 trials (running, best 0.9)",
        "demo: 2/3 trials (running, best 0.9)",
        "demo: 3/3 trials (completed, best 0.9)",
    ]


def test_wait_gives_up_after_its_timeout(api, client):
    api.routes["sweep.get"] = lambda _: (200, sweep_detail("running", 1))
    with pytest.raises(TimeoutError, match="still running"):
        client.wait("sw_1", poll=0, timeout=0, progress=False)


def test_trial_and_curve_records_without_pandas(api, client):
    api.routes["sweep.get"] = lambda _: (200, sweep_detail())
    api.routes["sweep.curves"] = lambda _: (200, {"metricName": "val_acc", "maxPoints": 2,
        "curves": [{"trialId": "sw_1-t0", "epochs": [0, 1], "values": [0.5, 0.8]}]})  # fmt: skip
    rows = client.trial_records("sw_1")
    assert [r["id"] for r in rows] == ["sw_1-t0", "sw_1-t1", "sw_1-t2"]
    assert rows[1]["param.lr"] == 0.01 and rows[1]["value.val_acc"] == 0.9
    assert client.curve_records("sw_1", "val_acc") == [
        {"trial_id": "sw_1-t0", "epoch": 0, "metric": "val_acc", "value": 0.5},
        {"trial_id": "sw_1-t0", "epoch": 1, "metric": "val_acc", "value": 0.8},
    ]
    assert api.requests[-1]["input"] == {"id": "sw_1", "metric": "val_acc"}


def test_trials_and_curves_as_dataframes(api, client):
    pd = pytest.importorskip("pandas")
    api.routes["sweep.get"] = lambda _: (200, sweep_detail())
    api.routes["sweep.curves"] = lambda _: (200, {"metricName": "val_acc", "maxPoints": 2,
        "curves": [{"trialId": "sw_1-t0", "epochs": [0, 1], "values": [0.5, 0.8]}]})  # fmt: skip
    df = client.trials("sw_1")
    assert list(df["status"]) == ["completed", "completed", "pruned"]
    assert df.loc[df["objective"].idxmax(), "id"] == "sw_1-t1"
    assert pd.api.types.is_datetime64_any_dtype(df["finished_at"])
    curves = client.curves("sw_1")
    assert curves.groupby("trial_id")["value"].max().to_dict() == {"sw_1-t0": 0.8}


def test_the_schema_validator_names_every_field_it_refuses():
    control = _schema.procedure("sweep.control")["input"]
    assert _schema.errors(control, {"id": "s", "request": {"action": "pause"}}) == []
    assert _schema.errors(control, {"id": "", "request": {"action": "explode"}}) == [
        "id: at least 1 characters",
        "request: fits none of its forms (request.action: must be 'pause', got 'explode')",
    ]
    compare = _schema.procedure("compare.trials")["input"]
    assert _schema.errors(compare, {"trialIds": []}) == ["trialIds: at least 1 items"]
    assert _schema.errors(compare, {"trialIds": [3]}) == [
        "trialIds.0: expected string, got int 3"
    ]


def test_wait_uses_tqdm_when_it_is_installed(api, client, capsys):
    pytest.importorskip("tqdm")
    answers = iter([sweep_detail("running", 1), sweep_detail()])
    api.routes["sweep.get"] = lambda _: (200, next(answers))
    client.wait("sw_1", poll=0)
    err = capsys.readouterr().err
    assert "demo" in err and "3/3" in err and "completed, best 0.9" in err


def test_launch_reads_the_repos_yaml_examples_with_pyyaml(api, client):
    pytest.importorskip("yaml")
    api.routes["sweep.launch"] = lambda _: (200, {k: v for k, v in sweep_detail().items()
        if k not in ("dataset", "baseModel", "spec", "trials")})  # fmt: skip
    demo = Path(__file__).resolve().parents[3] / "examples/demo-sweep.yaml"
    client.launch(demo)
    assert api.requests[0]["input"]["spec"]["searchSpace"]["freezeDepth"]["values"] == [0, 2, 4]


def test_a_yaml_spec_without_pyyaml_says_what_to_install(client, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # as if PyYAML were not installed
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: x\n")
    with pytest.raises(ImportError, match=r"retune\[yaml\]"):
        client.launch(spec)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        client.launch(tmp_path / "missing.yaml")
