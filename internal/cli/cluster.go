package cli

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// withConsistency returns dial options that send level as
// tolk.ConsistencyHeader with every call.
func withConsistency(level string) []grpc.DialOption {
	add := func(ctx context.Context) context.Context {
		return metadata.AppendToOutgoingContext(ctx, tolk.ConsistencyHeader, level)
	}
	return []grpc.DialOption{
		grpc.WithChainUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
			return invoker(add(ctx), method, req, reply, cc, opts...)
		}),
		grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			return streamer(add(ctx), desc, cc, method, opts...)
		}),
	}
}

// runCluster runs tolk cluster status|join|remove against a cluster node.
func runCluster(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("cluster needs a subcommand: status, join or remove")
	}
	sub, args := args[0], args[1:]
	fs := c.flags("cluster "+sub, true)
	var asJSON *bool
	var join tolkv1.JoinRequest
	switch sub {
	case "status":
		asJSON = fs.Bool("json", false, "print protojson")
	case "join":
		fs.StringVar(&join.NodeId, "node-id", "", "the new member's --node-id")
		fs.StringVar(&join.RaftAddr, "raft-addr", "", "the new member's --raft-addr")
		fs.StringVar(&join.GrpcAddr, "grpc-addr", "", "the new member's gRPC address (its --addr)")
	case "remove":
	default:
		return usagef("unknown cluster subcommand %q: use status, join or remove", sub)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if sub == "remove" && len(pos) != 1 || sub != "remove" && len(pos) != 0 {
		return usagef("usage: tolk cluster status [--json] | join --node-id ID --raft-addr HOST:PORT --grpc-addr HOST:PORT | remove ID")
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	switch sub {
	case "join":
		resp, err := cl.Cluster.Join(ctx, &join)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "node %s joined cluster %s\n", join.GetNodeId(), resp.GetClusterId())
		return nil
	case "remove":
		if _, err := cl.Cluster.Remove(ctx, &tolkv1.RemoveRequest{NodeId: pos[0]}); err != nil {
			return err
		}
		fmt.Fprintf(c.env.Stdout, "node %s removed\n", pos[0])
		return nil
	}
	resp, err := cl.Cluster.Status(ctx, &tolkv1.StatusRequest{})
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(resp)
	}
	fmt.Fprintf(c.env.Stdout, "cluster %s: node %s is %s, term %d, commit %d, applied %d\n",
		resp.GetClusterId(), resp.GetNodeId(), resp.GetState(), resp.GetTerm(), resp.GetCommitIndex(), resp.GetAppliedIndex())
	for _, m := range resp.GetMembers() {
		role := "follower"
		if m.GetLeader() {
			role = "leader"
		}
		fmt.Fprintf(c.env.Stdout, "  %-12s %-8s raft %-21s grpc %s\n", m.GetNodeId(), role, m.GetRaftAddr(), m.GetGrpcAddr())
	}
	return nil
}
