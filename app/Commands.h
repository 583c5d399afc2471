#pragma once
// The sub-commands of the `digitlab` executable. Each takes the arguments after its name and
// returns the process exit code (0 ok, 1 runtime error, 2 usage error). Errors go to stderr.

#include <QStringList>

int runGui(int argc, char** argv);            // Gui.cpp: the desktop app (argv: a file, Qt options)
int cmdTrain(const QStringList& args);        // CmdTrain.cpp
int cmdSummary(const QStringList& args);      // CmdTrain.cpp
int cmdPlotModel(const QStringList& args);    // CmdPlotModel.cpp
int cmdDownload(const QStringList& args);     // CmdDownload.cpp
int cmdEvaluate(const QStringList& args);     // CmdModelFile.cpp
int cmdPredict(const QStringList& args);      // CmdModelFile.cpp
int cmdExportKeras(const QStringList& args);  // CmdModelFile.cpp
int cmdInspect(const QStringList& args);      // CmdInspect.cpp
