// Command pkigen times karmadactl v1.18.2's own PKI generation for init (cert.GenCerts with the
// configs its genCerts builds, minus the outbound public-IP lookup): 8 key pairs and certificates,
// RSA-3072, written to a directory. Used only by the benchmarks (bench/compare.ts).
package main

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/karmada-io/karmada/pkg/karmadactl/cmdinit/cert"
	certutil "k8s.io/client-go/util/cert"
)

func main() {
	dir := os.Args[1]
	start := time.Now()
	notAfter := time.Now().Add(365 * 24 * time.Hour).UTC()
	ns, domain := "karmada-system", "cluster.local"
	etcdServer := cert.NewCertConfig("karmada-etcd-server", []string{}, certutil.AltNames{DNSNames: []string{"localhost", fmt.Sprintf("etcd-0.etcd.%s.svc.%s", ns, domain)}, IPs: []net.IP{net.ParseIP("127.0.0.1")}}, &notAfter)
	etcdClient := cert.NewCertConfig("karmada-etcd-client", []string{}, certutil.AltNames{}, &notAfter)
	dns := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "karmada-apiserver", "karmada-webhook", "karmada-aggregated-apiserver",
		fmt.Sprintf("karmada-apiserver.%s.svc.%s", ns, domain), fmt.Sprintf("karmada-webhook.%s.svc.%s", ns, domain), fmt.Sprintf("karmada-webhook.%s.svc", ns),
		fmt.Sprintf("karmada-aggregated-apiserver.%s.svc.%s", ns, domain), fmt.Sprintf("*.%s.svc.%s", ns, domain), fmt.Sprintf("*.%s.svc", ns)}
	alt := certutil.AltNames{DNSNames: dns, IPs: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.0.10")}}
	karmada := cert.NewCertConfig("system:admin", []string{"system:masters"}, alt, &notAfter)
	apiserver := cert.NewCertConfig("karmada-apiserver", []string{""}, alt, &notAfter)
	frontProxy := cert.NewCertConfig("front-proxy-client", []string{}, certutil.AltNames{}, &notAfter)
	if err := cert.GenCerts(dir, "", "", etcdServer, etcdClient, karmada, apiserver, frontProxy); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(time.Since(start).Milliseconds())
}
