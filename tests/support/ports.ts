/** A loopback port that was free a moment ago: the agent's test harness has the one helper. */
export { freeTcpPort as freePort, waitForPort } from '@tandem/agent/testing/agentProcess';
