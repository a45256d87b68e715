// Command cert-manager-controllers runs cert-manager's own CertificateRequest controllers, taken unchanged from the
// github.com/cert-manager/cert-manager Go module, for the local test control plane: the approver, the CA and
// SelfSigned request controllers, and the Issuer and ClusterIssuer controllers with the CA and SelfSigned issuer
// types. No ACME, Vault, Venafi or webhook: the CA and SelfSigned issuers need none of them.
//
// Its only listener is a health endpoint (/livez, /readyz) on a loopback address. There is no leader election: run
// one instance per cluster.
//
// --approver-skip-namespaces leaves CertificateRequests in the named namespaces to people: the approver's informer
// is built with a field selector that excludes them, the way an approval policy would leave them alone. Without
// certificaterequests-approver in --controllers nothing approves at all.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	cmclient "github.com/cert-manager/cert-manager/pkg/client/clientset/versioned"
	cminformers "github.com/cert-manager/cert-manager/pkg/client/informers/externalversions"
	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	"github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// The controllers register themselves with controllerpkg when imported.
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// The issuer types the Issuer and ClusterIssuer controllers can set up.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// The controllers this command can run; all of them by default.
var knownControllers = []string{
	"issuers",
	"clusterissuers",
	"certificaterequests-issuer-ca",
	"certificaterequests-issuer-selfsigned",
	approver.ControllerName,
}

// The informers' resync period, as in cert-manager's own controller.
const resyncPeriod = 10 * time.Hour

type options struct {
	kubeconfig               string
	clusterResourceNamespace string
	controllers              []string
	approverSkipNamespaces   []string
	healthListenAddress      string
	workers                  int
}

func parseFlags() (options, error) {
	var o options
	var controllers, skip string
	klog.InitFlags(nil)
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster (required)")
	flag.StringVar(&o.clusterResourceNamespace, "cluster-resource-namespace", "cert-manager",
		"namespace of the Secrets that ClusterIssuers refer to")
	flag.StringVar(&controllers, "controllers", strings.Join(knownControllers, ","),
		"comma-separated controllers to run, of: "+strings.Join(knownControllers, ", "))
	flag.StringVar(&skip, "approver-skip-namespaces", "",
		"comma-separated namespaces whose CertificateRequests the approver leaves to people")
	flag.StringVar(&o.healthListenAddress, "health-listen-address", "127.0.0.1:0",
		"loopback host:port of /livez and /readyz")
	flag.IntVar(&o.workers, "workers", 5, "workers per controller")
	flag.Parse()

	if o.kubeconfig == "" {
		return o, errors.New("--kubeconfig is required")
	}
	o.controllers = splitList(controllers)
	for _, name := range o.controllers {
		if !slices.Contains(knownControllers, name) {
			return o, fmt.Errorf("--controllers: unknown controller %q; known: %s", name, strings.Join(knownControllers, ", "))
		}
	}
	o.approverSkipNamespaces = splitList(skip)
	host, _, err := net.SplitHostPort(o.healthListenAddress)
	if err != nil {
		return o, fmt.Errorf("--health-listen-address %q: %w", o.healthListenAddress, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return o, fmt.Errorf("--health-listen-address %q: only a loopback IP address is allowed", o.healthListenAddress)
	}
	return o, nil
}

func splitList(text string) []string {
	var out []string
	for _, part := range strings.Split(text, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// informerFactory is what this command needs of an informer factory: start it, and wait for its caches. The
// Kubernetes and cert-manager factories differ in how they report the sync, so each is adapted by a function.
type informerFactory struct {
	start func(stopCh <-chan struct{})
	// unsynced waits for the caches and returns the informers that never synced.
	unsynced func(stopCh <-chan struct{}) []string
}

func unsyncedOf[K comparable](synced map[K]bool) []string {
	var out []string
	for informer, ok := range synced {
		if !ok {
			out = append(out, fmt.Sprint(informer))
		}
	}
	return out
}

func certManagerFactory(f cminformers.SharedInformerFactory) informerFactory {
	return informerFactory{
		start:    f.Start,
		unsynced: func(stopCh <-chan struct{}) []string { return unsyncedOf(f.WaitForCacheSync(stopCh)) },
	}
}

// runner holds the controllers built so far and the informer factories they registered their informers with.
type runner struct {
	controllers map[string]controllerpkg.Interface
	factories   []informerFactory
}

// buildApprover builds cert-manager's approver on an informer factory of its own whose list and watch calls skip
// the given namespaces. The controller and its Sync are cert-manager's, unchanged.
func (r *runner) buildApprover(factory *controllerpkg.ContextFactory, skip []string) error {
	ctx, err := factory.Build(approver.ControllerName)
	if err != nil {
		return err
	}
	selectors := make([]string, 0, len(skip))
	for _, namespace := range skip {
		selectors = append(selectors, "metadata.namespace!="+namespace)
	}
	client, err := cmclient.NewForConfig(ctx.RESTConfig)
	if err != nil {
		return err
	}
	filtered := cminformers.NewSharedInformerFactoryWithOptions(client, resyncPeriod,
		cminformers.WithTweakListOptions(func(options *metav1.ListOptions) {
			options.FieldSelector = strings.Join(selectors, ",")
		}))
	ctx.SharedInformerFactory = filtered
	impl := new(approver.Controller)
	queue, mustSync, err := impl.Register(ctx)
	if err != nil {
		return err
	}
	r.controllers[approver.ControllerName] = controllerpkg.NewController(
		approver.ControllerName, ctx.Metrics, impl.ProcessItem, mustSync, nil, queue)
	r.factories = append(r.factories, certManagerFactory(filtered))
	return nil
}

func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := logf.Log.WithName("cert-manager-controllers")
	ctx = logf.NewContext(ctx, log)

	factory, err := controllerpkg.NewContextFactory(ctx, controllerpkg.ContextOptions{
		Kubeconfig:         o.kubeconfig,
		KubernetesAPIQPS:   100,
		KubernetesAPIBurst: 200,
		IssuerOptions:      controllerpkg.IssuerOptions{ClusterResourceNamespace: o.clusterResourceNamespace},
	})
	if err != nil {
		return err
	}

	r := &runner{controllers: map[string]controllerpkg.Interface{}}
	for _, name := range o.controllers {
		if name == approver.ControllerName && len(o.approverSkipNamespaces) > 0 {
			if err := r.buildApprover(factory, o.approverSkipNamespaces); err != nil {
				return fmt.Errorf("building %s: %w", name, err)
			}
			continue
		}
		controller, err := controllerpkg.Known()[name](factory)
		if err != nil {
			return fmt.Errorf("building %s: %w", name, err)
		}
		r.controllers[name] = controller
	}
	// Every Context built by the factory shares these two informer factories; the controllers registered their
	// informers with them above, so starting them now starts exactly those informers.
	shared, err := factory.Build()
	if err != nil {
		return err
	}
	kube := shared.KubeSharedInformerFactory
	r.factories = append(r.factories,
		informerFactory{
			start:    kube.Start,
			unsynced: func(stopCh <-chan struct{}) []string { return unsyncedOf(kube.WaitForCacheSync(stopCh)) },
		},
		certManagerFactory(shared.SharedInformerFactory))

	var ready atomic.Bool
	listener, err := net.Listen("tcp", o.healthListenAddress)
	if err != nil {
		return fmt.Errorf("health listener: %w", err)
	}
	server := &http.Server{Handler: healthHandler(&ready), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = server.Serve(listener) }()
	defer func() { _ = server.Close() }()
	log.Info("health endpoint listening", "address", listener.Addr().String())

	var wg sync.WaitGroup
	errs := make(chan error, len(r.controllers))
	for name, controller := range r.controllers {
		wg.Go(func() {
			if err := controller.Run(o.workers, ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	for _, f := range r.factories {
		f.start(ctx.Done())
	}
	for _, f := range r.factories {
		if unsynced := f.unsynced(ctx.Done()); len(unsynced) > 0 {
			stop()
			wg.Wait()
			return fmt.Errorf("informers never synced: %s", strings.Join(unsynced, ", "))
		}
	}
	ready.Store(true)
	log.Info("controllers running", "controllers", o.controllers, "approverSkipNamespaces", o.approverSkipNamespaces)

	select {
	case <-ctx.Done():
	case err := <-errs:
		stop()
		wg.Wait()
		return err
	}
	wg.Wait()
	return nil
}

func healthHandler(ready *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/livez", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() {
			http.Error(w, "informers not synced yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	return mux
}

func main() {
	o, err := parseFlags()
	if err != nil {
		fmt.Fprintf(os.Stderr, "cert-manager-controllers: %v\n", err)
		os.Exit(2)
	}
	if err := run(o); err != nil {
		klog.ErrorS(err, "cert-manager-controllers failed")
		klog.Flush()
		os.Exit(1)
	}
	klog.Flush()
}
