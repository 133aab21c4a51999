// kafka-env: built into sigs.k8s.io/kube-network-policies by e2e/k8s/build.sh (copied into
// pkg/networkpolicy). The controller queues each new connection to user space with nftables'
// native `queue` statement, which needs the kernel's nft_queue (CONFIG_NFT_QUEUE); the kernels
// of this project's machines lack it but have the xtables NFQUEUE target and nft_compat, which
// queue the same way. build.sh rewrites each use of the native statement to compatQueue(...).
package networkpolicy

import (
	"encoding/binary"

	"github.com/google/nftables/expr"
	"github.com/google/nftables/xt"
)

// compatQueue is the xtables NFQUEUE target (revision 3: queue number, one queue, flags) for the
// native queue statement q: the same queue, and bypass when q has it (fail open).
func compatQueue(q *expr.Queue) *expr.Target {
	info := make([]byte, 6)
	binary.NativeEndian.PutUint16(info[0:], q.Num)
	binary.NativeEndian.PutUint16(info[2:], 1)
	var flags uint16
	if q.Flag&expr.QueueFlagBypass != 0 {
		flags |= 1 // NFQ_FLAG_BYPASS
	}
	binary.NativeEndian.PutUint16(info[4:], flags)
	unknown := xt.Unknown(info)
	return &expr.Target{Name: "NFQUEUE", Rev: 3, Info: &unknown}
}
