/*
 * version.h - rampart's version, for `rampart --version` and the reports
 * that name their tool (SARIF's tool.driver.version).  A header of its own
 * so that writers need not include the command layer.
 */
#ifndef RAMPART_CORE_VERSION_H
#define RAMPART_CORE_VERSION_H

#define RAMPART_VERSION "0.1.0"

#endif
