// Command etcd is the etcd server at the version Kubernetes pins, built from its Go module for the local test
// control plane (Debian's etcd is older than current kube-apiservers expect).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
