// Event analysis: assembled in later commits.
import GridwallCore
