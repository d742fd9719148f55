/** tandemctl's help text (docs/cli.md is the long form). */
export const USAGE = `usage: tandemctl [--socket PATH] [--json] COMMAND

  status                                   desired/running generation, HAProxy, drift
  setup-token                              the one-time token for the console's first admin
  service list | show NAME                 services of the desired configuration
  service add --template NAME --set k=v... add services from a template
  service edit NAME --set path=value...    change fields of a service
  service rm NAME                          remove a service
  template list | show NAME                the template catalogue and a template's parameters
  apply                                    make the latest generation run
  history [--limit N]                      generations, newest first
  diff A B [--config]                      rendered haproxy.cfg diff (--config: model JSON)
  rollback N                               a new generation equal to generation N
  server set SERVICE/[BACKEND/]SERVER [--state ready|drain|maint] [--weight N] [--addr HOST[:PORT]]
  server add SERVICE/BACKEND NAME --addr HOST:PORT [--weight N]   add a server (live when possible)
  server rm SERVICE/[BACKEND/]SERVER       remove a server (live)
  config show [--generation N]             the rendered haproxy.cfg
  logs [--follow] [--status 5xx|404] [--frontend F] [--backend B] [--server S] [--client NET]
       [--method M] [--q WORDS] [--errors] [--limit N]      request logs, newest last
  stats [--type frontend|backend|server] [--series ENTITY [--metrics a,b] [--minutes N]]
                                           live rates and states, or one entity's series
  events [--follow] [--kind apply|server|backend|runtime|agent|vrrp] [--limit N]
                                           the event timeline, newest last
  cluster [status|handover|resume]         VRRP state per instance and the last takeover;
                                           handover gives the VIPs to the peer (standby)
  cluster code                             show a one-time pairing code on the unit that joins
  cluster pair ADDRESS CODE [--port N]     pair with it (it takes this unit's configuration)
  cluster sync | cluster unpair            a sync round now; dissolve the pair
  cluster resolve --keep UNIT              after a partition: keep one unit's changes (the
                                           other's are archived)
  user [list|add NAME [--role admin|read-only]|rm NAME|passwd NAME]
                                           console users; passwords are read from stdin
  user 2fa-off NAME | user require-2fa on|off
                                           remove a user's second factor (a lost phone);
                                           whether admins must use two-factor sign-in
  ssh-keys [list|add FILE|rm FINGERPRINT]  the public keys that may log in over SSH (add -: stdin)
  cert [list|add NAME FILE...|replace NAME FILE...|rm NAME]
                                           the certificate store: PEM files (certificate, chain,
                                           key) or a .p12/.pfx (--password-stdin); replace is
                                           live when a running service uses it
  discovery                                backends whose servers follow DNS: the slots filled
                                           (address, port, weight, health) and the last answer
  backup > FILE / restore FILE [--generation N]
                                           the whole history as JSON; restore adds a generation

  service add/edit/rm take --dry-run: validate and print the haproxy.cfg diff, commit nothing.
  -m MESSAGE  describes a change in the history.  Socket: --socket, $TANDEM_SOCKET, or .tandem/unit/agent.sock`;
