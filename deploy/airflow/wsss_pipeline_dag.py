"""wsss-spark pipeline as an Airflow 2 DAG: one SparkSubmitOperator per stage, run in pipeline order.

Needs apache-airflow-providers-apache-spark and a Spark connection (WSSS_SPARK_CONN_ID, default
``spark_default``) whose extra sets ``{"deploy-mode": "cluster"}``: the conf files are shipped with ``files``
and the CLI reads them by file name from the driver's working directory (YARN cluster mode).

Every task writes under one run directory, ``<run_base>/<run_name>``:
  run_base  DAG param ``run_base``, else the Airflow Variable ``wsss_run_base``, else hdfs:///user/airflow/wsss/runs
  run_name  DAG param ``run_name``, else ``wsss-<ds_nodash>``
A cleared or retried task reuses the directory: stages whose outputs are complete for the same config and inputs
are skipped, training resumes from its last checkpoint.

Deployment settings come from the Airflow worker's environment when the DAG file is parsed:
  WSSS_HOME (default /opt/wsss): holds conf/cluster.conf, deploy/gpu/discover-gpus.sh and the job jar
  WSSS_JOB_JAR (default $WSSS_HOME/wsss-spark-jobs-job.jar)
  WSSS_GPU=true: GPU executors (one GPU each, WSSS_EXECUTOR_CORES tasks share it); build the jar with -Pcuda
"""
import os
from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.models.baseoperator import chain
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# The pipeline order; must equal org.wsss.jobs.Stages.names() (checked by src-test DeployFilesIT).
STAGES = [
    "ingest",
    "train-classifier",
    "make-cams",
    "eval-cams",
    "make-affinity-labels",
    "train-affinity",
    "random-walk",
    "eval-labels",
    "make-instances",
    "train-segmentation",
    "make-prototypes",
    "predict",
    "evaluate",
]

WSSS_HOME = os.environ.get("WSSS_HOME", "/opt/wsss")
JOB_JAR = os.environ.get("WSSS_JOB_JAR", WSSS_HOME + "/wsss-spark-jobs-job.jar")
CONN_ID = os.environ.get("WSSS_SPARK_CONN_ID", "spark_default")
USE_GPU = os.environ.get("WSSS_GPU", "false").lower() == "true"
EXECUTOR_CORES = int(os.environ.get("WSSS_EXECUTOR_CORES", "1" if USE_GPU else "4"))
CONF_FILES = [WSSS_HOME + "/conf/cluster.conf"]
DISCOVERY_SCRIPT = WSSS_HOME + "/deploy/gpu/discover-gpus.sh"

RUN_DIR = (
    "{{ params.run_base or var.value.get('wsss_run_base', 'hdfs:///user/airflow/wsss/runs') }}"
    "/{{ params.run_name or ('wsss-' ~ ds_nodash) }}"
)

# Spark on Java 17 needs these opens; ND4J's memory is off-heap and capped by JavaCPP (see deploy/bin/submit).
JAVA17_FLAGS = " ".join(
    ["--add-opens=java.base/%s=ALL-UNNAMED" % p for p in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
        "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
        "sun.security.action", "sun.util.calendar")]
    + ["-Djdk.reflect.useDirectMethodHandle=false"])


def javacpp_limits(offheap, physical):
    return " -Dorg.bytedeco.javacpp.maxbytes=%s -Dorg.bytedeco.javacpp.maxphysicalbytes=%s" % (offheap, physical)


SPARK_CONF = {
    "spark.driver.extraJavaOptions": JAVA17_FLAGS + javacpp_limits(
        os.environ.get("WSSS_DRIVER_OFFHEAP_MEMORY", "4G"), os.environ.get("WSSS_DRIVER_PHYSICAL_MEMORY", "12G")),
    "spark.executor.extraJavaOptions": JAVA17_FLAGS + javacpp_limits(
        os.environ.get("WSSS_EXECUTOR_OFFHEAP_MEMORY", "8G"),
        os.environ.get("WSSS_EXECUTOR_PHYSICAL_MEMORY", "32G")),
    "spark.executor.memoryOverhead": os.environ.get("WSSS_EXECUTOR_MEMORY_OVERHEAD", "10g"),
}
FILES = list(CONF_FILES)
if USE_GPU:
    SPARK_CONF.update({
        "spark.executor.resource.gpu.amount": "1",
        # Rounded down so that Spark's floor(1 / amount) equals the executor's cores.
        "spark.task.resource.gpu.amount": "%.6f" % (int(1e6 / EXECUTOR_CORES) / 1e6),
        "spark.executor.resource.gpu.discoveryScript": "./discover-gpus.sh",
    })
    FILES.append(DISCOVERY_SCRIPT)

CLI_CONF_ARGS = [arg for path in CONF_FILES for arg in ("--conf", os.path.basename(path))]

default_args = {
    "owner": "wsss",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
}

with DAG(
    dag_id="wsss_pipeline",
    description="Weakly supervised segmentation: cheap labels in, dense pseudo-labels out (wsss-spark)",
    default_args=default_args,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    max_active_runs=1,
    params={"run_base": "", "run_name": "", "dataset_format": "synthetic", "dataset_root": ""},
    tags=["wsss", "spark"],
) as dag:
    tasks = [
        SparkSubmitOperator(
            task_id=stage,
            name="wsss-" + stage,
            conn_id=CONN_ID,
            application=JOB_JAR,
            java_class="org.wsss.cli.Wsss",
            files=",".join(FILES),
            conf=SPARK_CONF,
            executor_cores=EXECUTOR_CORES,
            application_args=[stage] + CLI_CONF_ARGS + [
                "--set", "dataset.format={{ params.dataset_format }}",
                "--set", "dataset.root={{ params.dataset_root }}",
                "--run-dir", RUN_DIR,
            ],
        )
        for stage in STAGES
    ]
    chain(*tasks)
