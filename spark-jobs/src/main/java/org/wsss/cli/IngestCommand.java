package org.wsss.cli;

import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Reads the dataset (synthetic, VOC or LID layout; any Hadoop file system) and writes the "
                + "Parquet manifest to <run-dir>/ingest/manifest; unreadable or inconsistent images go to "
                + "<run-dir>/ingest/quarantine with their reason."})
final class IngestCommand extends StageCommand {
    @Override
    String stageName() {
        return "ingest";
    }
}
